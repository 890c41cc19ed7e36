using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GradClip.Kernels;

/// <summary>
/// Cache-blocked, packed GEMM around one micro-kernel, in the loop order of BLIS (Goto and van de Geijn): B is packed
/// once per call, A one block of <see cref="StepBlock"/> steps at a time; each A sliver stays in L1 while it meets every
/// B sliver of a <see cref="ColumnBlock"/>-wide block held in L2. Large products split their rows over the cores.
/// </summary>
internal static class GemmDriver<TKernel> where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Steps (k) per packed block (KC): a 12-row A sliver of 256 steps is 12 KiB, half of L1.</summary>
    private const int StepBlock = 256;

    /// <summary>Columns (n) per pass over an A sliver (NC): a 256×768 block of packed B is 768 KiB, under half of L2.</summary>
    private const int ColumnBlock = 768;

    /// <summary>
    /// Multiply-adds (m·k·n, here 2²³ ≈ 203³) from which a product is split over threads: ~70 µs on one core, against
    /// 5–15 µs measured to wake a pool thread and copy its rows, so that small products never pay for threads.
    /// </summary>
    private const long ThreadingThreshold = 1L << 23;

    /// <summary>C (m×n, rows n apart) = op(A)·op(B), or += with <paramref name="accumulate"/>; sizes already checked and non-zero.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        int parts = PartsFor(m, k, n);
        if (parts == 1 && PaddedArea(n, m) * 2 <= PaddedArea(m, n))
        {
            MultiplyTransposed(a, b, c, m, k, n, transposeA, transposeB, accumulate);
            return;
        }
        int nPadded = GemmPacking.RoundUp(n, TKernel.Columns);
        Memory<float> packedB = GemmBuffer.PackedB.Get(k * nPadded);
        GemmPacking.PackB(b, transposeB ? k : n, transposeB, k, n, StepBlock, TKernel.Columns, packedB.Span);
        int lda = transposeA ? m : k;
        if (parts == 1)
        {
            MultiplyRows(a, lda, transposeA, m, packedB.Span, c, k, n, accumulate);
            return;
        }

        // Worker threads cannot see the caller's spans, so each gets its rows of A (and of C to accumulate into) in
        // pooled arrays and shares the packed B; the calling thread computes the first rows straight from its spans.
        int rowsPerPart = GemmPacking.RoundUp((m + parts - 1) / parts, TKernel.Rows);
        parts = (m + rowsPerPart - 1) / rowsPerPart;
        var workers = new RowsWork[parts - 1];
        var tasks = new Task[parts - 1];
        for (int part = 1; part < parts; part++)
        {
            int firstRow = part * rowsPerPart;
            int rows = Math.Min(rowsPerPart, m - firstRow);
            var work = new RowsWork(a, transposeA, m, k, n, firstRow, rows, packedB, c, accumulate);
            workers[part - 1] = work;
            tasks[part - 1] = Task.Factory.StartNew(
                static state => ((RowsWork)state!).Run(), work, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
        }
        MultiplyRows(a, lda, transposeA, Math.Min(m, rowsPerPart), packedB.Span, c, k, n, accumulate);
        Task.WaitAll(tasks);
        foreach (RowsWork work in workers)
        {
            work.CopyResultTo(c, n);
        }
    }

    /// <summary>Elements of C's tiles, padding included, when rows are tiled by MR and columns by NR.</summary>
    private static long PaddedArea(int rows, int columns) =>
        (long)GemmPacking.RoundUp(rows, TKernel.Rows) * GemmPacking.RoundUp(columns, TKernel.Columns);

    /// <summary>
    /// Computes Cᵀ = op(B)ᵀ·op(A)ᵀ into a scratch buffer and writes (or adds) its transpose into C. For a narrow C
    /// (n = 3 at the end of a classifier) this turns mostly-padding 32-wide tiles into full ones along m, at the cost of
    /// one pass over C.
    /// </summary>
    private static void MultiplyTransposed(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        Span<float> transposedC = GemmBuffer.TransposedC.Get(n * m).Span;
        Multiply(b, a, transposedC, n, k, m, !transposeB, !transposeA, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            Span<float> row = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                float product = transposedC[j * m + i];
                row[j] = accumulate ? row[j] + product : product;
            }
        }
    }

    /// <summary>How many threads to use: one below the threshold, else one per core while each gets at least two slivers of rows.</summary>
    private static int PartsFor(int m, int k, int n)
    {
        if ((long)m * k * n < ThreadingThreshold)
        {
            return 1;
        }
        int slivers = (m + TKernel.Rows - 1) / TKernel.Rows;
        return Math.Clamp(slivers / 2, 1, Environment.ProcessorCount);
    }

    /// <summary>C rows [0, m) from op(A) rows [0, m) and all of the packed B, on the calling thread.</summary>
    private static void MultiplyRows(
        ReadOnlySpan<float> a, int lda, bool transposeA, int m, ReadOnlySpan<float> packedB, Span<float> c, int k, int n,
        bool accumulate)
    {
        int mr = TKernel.Rows;
        int nr = TKernel.Columns;
        int nPadded = GemmPacking.RoundUp(n, nr);
        Span<float> packedA = GemmBuffer.PackedA.Get(GemmPacking.RoundUp(m, mr) * Math.Min(k, StepBlock)).Span;
        Span<float> edgeTile = stackalloc float[mr * nr];
        ref float cStart = ref MemoryMarshal.GetReference(c);
        for (int p0 = 0; p0 < k; p0 += StepBlock)
        {
            int kc = Math.Min(StepBlock, k - p0);
            GemmPacking.PackA(a, lda, transposeA, m, p0, kc, mr, packedA);
            bool addToC = accumulate || p0 > 0;
            ReadOnlySpan<float> bBlock = packedB.Slice(p0 * nPadded, kc * nPadded);
            for (int j0 = 0; j0 < n; j0 += ColumnBlock)
            {
                int jEnd = Math.Min(n, j0 + ColumnBlock);
                for (int i0 = 0; i0 < m; i0 += mr)
                {
                    int height = Math.Min(mr, m - i0);
                    ref float aSliver = ref packedA[i0 * kc];
                    for (int j = j0; j < jEnd; j += nr)
                    {
                        int width = Math.Min(nr, n - j);
                        ref float bSliver = ref MemoryMarshal.GetReference(bBlock.Slice(j * kc, nr * kc));
                        if (height == mr && width == nr)
                        {
                            // A whole tile lies inside C (checked at entry to be at least m·n long): write it in place.
                            TKernel.Run(ref aSliver, ref bSliver, kc, ref Unsafe.Add(ref cStart, i0 * n + j), n, addToC);
                        }
                        else
                        {
                            TKernel.Run(ref aSliver, ref bSliver, kc, ref edgeTile[0], nr, addToC: false);
                            WriteEdgeTile(edgeTile, nr, c.Slice(i0 * n + j), n, height, width, addToC);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Stores (or adds) the <paramref name="height"/>×<paramref name="width"/> corner of a tile that overhangs C.</summary>
    private static void WriteEdgeTile(
        ReadOnlySpan<float> tile, int tileStride, Span<float> c, int ldc, int height, int width, bool addToC)
    {
        for (int r = 0; r < height; r++)
        {
            ReadOnlySpan<float> source = tile.Slice(r * tileStride, width);
            Span<float> row = c.Slice(r * ldc, width);
            if (addToC)
            {
                TensorPrimitives.Add(row, source, row);
            }
            else
            {
                source.CopyTo(row);
            }
        }
    }

    /// <summary>One worker thread's rows: copies of its rows of A (and of C when accumulating), and its result.</summary>
    private sealed class RowsWork
    {
        private readonly float[] _a;
        private readonly int _lda;
        private readonly bool _transposeA;
        private readonly int _firstRow;
        private readonly int _rows;
        private readonly int _k;
        private readonly int _n;
        private readonly Memory<float> _packedB;
        private readonly float[] _c;
        private readonly bool _accumulate;

        public RowsWork(
            ReadOnlySpan<float> a, bool transposeA, int m, int k, int n, int firstRow, int rows, Memory<float> packedB,
            ReadOnlySpan<float> c, bool accumulate)
        {
            _transposeA = transposeA;
            _firstRow = firstRow;
            _rows = rows;
            _k = k;
            _n = n;
            _packedB = packedB;
            _accumulate = accumulate;
            _a = ArrayPool<float>.Shared.Rent(rows * k);
            if (transposeA)
            {
                _lda = rows;
                for (int p = 0; p < k; p++)
                {
                    a.Slice(p * m + firstRow, rows).CopyTo(_a.AsSpan(p * rows, rows));
                }
            }
            else
            {
                _lda = k;
                a.Slice(firstRow * k, rows * k).CopyTo(_a);
            }
            _c = ArrayPool<float>.Shared.Rent(rows * n);
            if (accumulate)
            {
                c.Slice(firstRow * n, rows * n).CopyTo(_c);
            }
        }

        public void Run() =>
            MultiplyRows(_a, _lda, _transposeA, _rows, _packedB.Span, _c, _k, _n, _accumulate);

        /// <summary>Copies the result into the caller's C and returns the pooled arrays.</summary>
        public void CopyResultTo(Span<float> c, int n)
        {
            _c.AsSpan(0, _rows * n).CopyTo(c.Slice(_firstRow * n));
            ArrayPool<float>.Shared.Return(_a);
            ArrayPool<float>.Shared.Return(_c);
        }
    }
}
