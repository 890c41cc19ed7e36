using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradClip.Kernels;

/// <summary>
/// Copies blocks of A and B into the sliver layout the micro-kernels read: contiguous, in the order of use, zero-padded
/// to whole tiles. Packing reads either storage order, so a transposed operand costs no separate transposed copy.
/// </summary>
/// <remarks>
/// For small products packing costs as much as the multiply-adds, so its inner loops are vectorised: rows that are
/// already in step order are copied with vectors, rows that must be transposed go through 4×8 register transposes.
/// </remarks>
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
            if (transposed)
            {
                CopyRows(a[(p0 * lda + i0)..], lda, kc, height, sliver, mr);
            }
            else
            {
                Transpose(a[(i0 * lda + p0)..], lda, height, kc, sliver, mr);
            }
        }
    }

    /// <summary>
    /// Packs all of op(B) (k×n) in blocks of <paramref name="kcBlock"/> steps: block q starts at q·kcBlock·nPadded,
    /// and holds slivers of <paramref name="nr"/> columns, each with nr values per step (zeros past column n). B is
    /// stored k×n (step p at p·ldb), or n×k when <paramref name="transposed"/> (column j at j·ldb).
    /// </summary>
    public static void PackB(
        ReadOnlySpan<float> b, int ldb, bool transposed, int k, int n, int kcBlock, int nr, Span<float> destination) =>
        PackBColumns(b, ldb, transposed, k, n, 0, n, kcBlock, nr, destination);

    /// <summary>
    /// The slivers of columns [<paramref name="firstColumn"/>, <paramref name="endColumn"/>) of
    /// <see cref="PackB"/>'s result, the rest of <paramref name="destination"/> untouched, so that two threads can pack
    /// one B together. <paramref name="firstColumn"/> is a multiple of <paramref name="nr"/>.
    /// </summary>
    public static void PackBColumns(
        ReadOnlySpan<float> b, int ldb, bool transposed, int k, int n, int firstColumn, int endColumn, int kcBlock, int nr,
        Span<float> destination)
    {
        int nPadded = RoundUp(n, nr);
        for (int p0 = 0; p0 < k; p0 += kcBlock)
        {
            int kc = Math.Min(kcBlock, k - p0);
            for (int j0 = firstColumn; j0 < endColumn; j0 += nr)
            {
                int width = Math.Min(nr, n - j0);
                Span<float> sliver = destination.Slice(p0 * nPadded + j0 * kc, nr * kc);
                if (width < nr)
                {
                    sliver.Clear();
                }
                if (transposed)
                {
                    Transpose(b[(j0 * ldb + p0)..], ldb, width, kc, sliver, nr);
                }
                else
                {
                    CopyRows(b[(p0 * ldb + j0)..], ldb, kc, width, sliver, nr);
                }
            }
        }
    }

    /// <summary>The smallest multiple of <paramref name="multiple"/> that is at least <paramref name="value"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>destination[r·destinationStride + c] = source[r·sourceStride + c] for r &lt; rows, c &lt; columns.</summary>
    private static void CopyRows(
        ReadOnlySpan<float> source, int sourceStride, int rows, int columns, Span<float> destination, int destinationStride)
    {
        // One bounds check for the whole block, so that the loops below can index without any.
        _ = source[..((rows - 1) * sourceStride + columns)];
        _ = destination[..((rows - 1) * destinationStride + columns)];
        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        int vectorEnd = columns - columns % Vector128<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            ref float fromRow = ref Unsafe.Add(ref from, r * sourceStride);
            ref float toRow = ref Unsafe.Add(ref to, r * destinationStride);
            int c = 0;
            for (; c < vectorEnd; c += Vector128<float>.Count)
            {
                Vector128.LoadUnsafe(ref fromRow, (nuint)c).StoreUnsafe(ref toRow, (nuint)c);
            }
            for (; c < columns; c++)
            {
                Unsafe.Add(ref toRow, c) = Unsafe.Add(ref fromRow, c);
            }
        }
    }

    /// <summary>destination[c·destinationStride + r] = source[r·sourceStride + c] for r &lt; rows, c &lt; columns.</summary>
    public static void Transpose(
        ReadOnlySpan<float> source, int sourceStride, int rows, int columns, Span<float> destination, int destinationStride)
    {
        // One bounds check for the whole block, so that the loops below can index without any.
        _ = source[..((rows - 1) * sourceStride + columns)];
        _ = destination[..((columns - 1) * destinationStride + rows)];
        ref float from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                int c = 0;
                for (; c + 8 <= columns; c += 8)
                {
                    Transpose4x8(ref Unsafe.Add(ref from, r * sourceStride + c), sourceStride, ref Unsafe.Add(ref to, c * destinationStride + r), destinationStride);
                }
                for (; c < columns; c++)
                {
                    for (int i = r; i < r + 4; i++)
                    {
                        Unsafe.Add(ref to, c * destinationStride + i) = Unsafe.Add(ref from, i * sourceStride + c);
                    }
                }
            }
        }
        for (; r < rows; r++)
        {
            ref float fromRow = ref Unsafe.Add(ref from, r * sourceStride);
            for (int c = 0; c < columns; c++)
            {
                Unsafe.Add(ref to, c * destinationStride + r) = Unsafe.Add(ref fromRow, c);
            }
        }
    }

    /// <summary>
    /// Transposes 4 rows × 8 columns: each 128-bit half of the four row vectors holds a 4×4 block, and the classic
    /// unpack/shuffle sequence transposes both blocks at once; column j of the result goes to row j of the destination.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8(ref float source, nint sourceStride, ref float destination, nint destinationStride)
    {
        Vector256<float> row0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> row1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        Vector256<float> row2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector256<float> row3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector256<float> low01 = Avx.UnpackLow(row0, row1);
        Vector256<float> high01 = Avx.UnpackHigh(row0, row1);
        Vector256<float> low23 = Avx.UnpackLow(row2, row3);
        Vector256<float> high23 = Avx.UnpackHigh(row2, row3);
        Vector256<float> column0 = Avx.Shuffle(low01, low23, 0b01_00_01_00);
        Vector256<float> column1 = Avx.Shuffle(low01, low23, 0b11_10_11_10);
        Vector256<float> column2 = Avx.Shuffle(high01, high23, 0b01_00_01_00);
        Vector256<float> column3 = Avx.Shuffle(high01, high23, 0b11_10_11_10);
        column0.GetLower().StoreUnsafe(ref destination);
        column1.GetLower().StoreUnsafe(ref destination, (nuint)destinationStride);
        column2.GetLower().StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        column3.GetLower().StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        column0.GetUpper().StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        column1.GetUpper().StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        column2.GetUpper().StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        column3.GetUpper().StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }
}
