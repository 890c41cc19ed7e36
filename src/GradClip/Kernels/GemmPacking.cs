using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GradClip.Kernels;

/// <summary>
/// Copies blocks of A and B into the sliver layout the micro-kernels read: contiguous, in the order of use, zero-padded
/// to whole tiles. Packing reads either storage order, so a transposed operand costs no separate transposed copy.
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Packs rows [0, m) and steps [p0, p0 + kc) of op(A) into slivers of <paramref name="mr"/> rows: sliver s holds,
    /// for each step p, the values of rows s·mr … s·mr + mr − 1 (zeros past row m). A is stored m×k (row i at i·lda),
    /// or k×m when <paramref name="transposed"/> (step p at p·lda).
    /// </summary>
    public static void PackA(
        ReadOnlySpan<float> a, int lda, bool transposed, int m, int p0, int kc, int mr, Span<float> destination)
    {
        for (int i0 = 0; i0 < m; i0 += mr)
        {
            int height = Math.Min(mr, m - i0);
            Span<float> sliver = destination.Slice(i0 * kc, mr * kc);
            if (height < mr)
            {
                sliver.Clear();
            }
            ref float target = ref MemoryMarshal.GetReference(sliver);
            if (transposed)
            {
                for (int p = 0; p < kc; p++)
                {
                    a.Slice((p0 + p) * lda + i0, height).CopyTo(sliver.Slice(p * mr, height));
                }
            }
            else
            {
                for (int i = 0; i < height; i++)
                {
                    // Bounds were checked once for the whole row: the strided scatter below is the hot loop.
                    ReadOnlySpan<float> row = a.Slice((i0 + i) * lda + p0, kc);
                    ref float rowStart = ref MemoryMarshal.GetReference(row);
                    for (int p = 0; p < kc; p++)
                    {
                        Unsafe.Add(ref target, p * mr + i) = Unsafe.Add(ref rowStart, p);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs all of op(B) (k×n) in blocks of <paramref name="kcBlock"/> steps: block q starts at q·kcBlock·nPadded,
    /// and holds slivers of <paramref name="nr"/> columns, each with nr values per step (zeros past column n). B is
    /// stored k×n (step p at p·ldb), or n×k when <paramref name="transposed"/> (column j at j·ldb).
    /// </summary>
    public static void PackB(
        ReadOnlySpan<float> b, int ldb, bool transposed, int k, int n, int kcBlock, int nr, Span<float> destination)
    {
        int nPadded = RoundUp(n, nr);
        for (int p0 = 0; p0 < k; p0 += kcBlock)
        {
            int kc = Math.Min(kcBlock, k - p0);
            for (int j0 = 0; j0 < n; j0 += nr)
            {
                int width = Math.Min(nr, n - j0);
                Span<float> sliver = destination.Slice(p0 * nPadded + j0 * kc, nr * kc);
                if (width < nr)
                {
                    sliver.Clear();
                }
                if (transposed)
                {
                    ref float target = ref MemoryMarshal.GetReference(sliver);
                    for (int j = 0; j < width; j++)
                    {
                        // Bounds were checked once for the whole column: the strided scatter below is the hot loop.
                        ReadOnlySpan<float> column = b.Slice((j0 + j) * ldb + p0, kc);
                        ref float columnStart = ref MemoryMarshal.GetReference(column);
                        for (int p = 0; p < kc; p++)
                        {
                            Unsafe.Add(ref target, p * nr + j) = Unsafe.Add(ref columnStart, p);
                        }
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        b.Slice((p0 + p) * ldb + j0, width).CopyTo(sliver.Slice(p * nr, width));
                    }
                }
            }
        }
    }

    /// <summary>The smallest multiple of <paramref name="multiple"/> that is at least <paramref name="value"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
