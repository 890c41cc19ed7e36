using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GradClip.Kernels;

/// <summary>A GEMM driver for one micro-kernel, chosen at run time by vector width; sizes already checked and non-zero.</summary>
internal interface IGemmDriver
{
    /// <summary>C (m×n) = op(A)·op(B), or += with <paramref name="accumulate"/>, over spans.</summary>
    void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate);

    /// <summary>C (m×n) = op(A)·op(B), or += with <paramref name="accumulate"/>, over memory the worker thread can share.</summary>
    void Multiply(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate);
}

/// <summary>
/// Cache-blocked, packed GEMM around one micro-kernel, in the loop order of BLIS (Goto and van de Geijn): B is packed
/// once per call, A one block of <see cref="StepBlock"/> steps at a time; each A sliver stays in L1 while it meets every
/// B sliver of a <see cref="ColumnBlock"/>-wide block held in L2. Small operands already in step order skip packing,
/// and large products split their rows between the calling thread and the <see cref="PairWorker"/>.
/// </summary>
internal sealed class GemmDriver<TKernel> : IGemmDriver where TKernel : struct, IGemmMicroKernel
{
    /// <summary>Steps (k) per packed block (KC): a 12-row A sliver of 256 steps is 12 KiB, half of L1.</summary>
    private const int StepBlock = 256;

    /// <summary>Columns (n) per pass over an A sliver (NC): a 256×512 block of packed B is 512 KiB, half of a 1 MiB L2.</summary>
    private const int ColumnBlock = 512;

    /// <summary>
    /// Multiply-adds (m·k·n, here 2²⁰ ≈ 101³, ~10 µs on one core) from which a product is shared with the worker while
    /// it is awake (polling after a recent job): measured on this 2-core machine, 96³ and 112³ already gain from the
    /// second thread and 64³ loses.
    /// </summary>
    private const long ThreadingThreshold = 1L << 20;

    /// <summary>
    /// Multiply-adds (2²¹ ≈ 128³, ~40 µs on one core) from which a product wakes the sleeping worker, a system call of
    /// 3–10 µs for the caller; smaller ones then run on one thread.
    /// </summary>
    private const long WakeThreshold = 1L << 21;

    /// <summary>
    /// Largest operand (elements) read in place rather than packed: 64 Ki floats (256 KiB) stay in L2, where strided
    /// rows cost nothing; larger ones are packed so that the kernel streams contiguous memory.
    /// </summary>
    private const long DirectReadLimit = 1L << 16;

    private GemmDriver()
    {
    }

    /// <summary>The driver for this kernel, for <see cref="Gemm"/> to choose by vector width.</summary>
    public static GemmDriver<TKernel> Instance { get; } = new();

    void IGemmDriver.Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate) =>
        Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate);

    void IGemmDriver.Multiply(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate) =>
        Multiply(a, b, c, m, k, n, transposeA, transposeB, accumulate);

    /// <summary>C (m×n, rows n apart) = op(A)·op(B), or += with <paramref name="accumulate"/>; sizes already checked and non-zero.</summary>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        if (!TryTakeWorker(m, k, n))
        {
            MultiplyOnOneThread(a, b, c, m, k, n, transposeA, transposeB, accumulate);
            return;
        }
        // The worker thread cannot see the caller's spans: it gets copies of its rows of A (and of C to accumulate
        // into) in pooled arrays, and its result is copied back. Callers holding arrays or Memory avoid the copies.
        int split = SplitRow(m);
        int rows = m - split;
        float[] workerA = ArrayPool<float>.Shared.Rent(rows * k);
        float[] workerC = ArrayPool<float>.Shared.Rent(rows * n);
        if (transposeA)
        {
            for (int p = 0; p < k; p++)
            {
                a.Slice(p * m + split, rows).CopyTo(workerA.AsSpan(p * rows, rows));
            }
        }
        else
        {
            a.Slice(split * k, rows * k).CopyTo(workerA);
        }
        if (accumulate)
        {
            c.Slice(split * n, rows * n).CopyTo(workerC);
        }
        MultiplyOnTwoThreads(
            a, b, c, m, k, n, transposeA, transposeB, accumulate, split, workerA, transposeA ? rows : k, workerC, sharedB: default);
        workerC.AsSpan(0, rows * n).CopyTo(c.Slice(split * n));
        ArrayPool<float>.Shared.Return(workerA);
        ArrayPool<float>.Shared.Return(workerC);
    }

    /// <summary>
    /// <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, bool)"/>
    /// over memory that the worker thread reads and writes in place: no copies on any path.
    /// </summary>
    public static void Multiply(
        ReadOnlyMemory<float> a, ReadOnlyMemory<float> b, Memory<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        if (!TryTakeWorker(m, k, n))
        {
            MultiplyOnOneThread(a.Span, b.Span, c.Span, m, k, n, transposeA, transposeB, accumulate);
            return;
        }
        int split = SplitRow(m);
        ReadOnlyMemory<float> workerA = transposeA ? a[split..] : a[(split * k)..];
        MultiplyOnTwoThreads(
            a.Span, b.Span, c.Span, m, k, n, transposeA, transposeB, accumulate, split, workerA, transposeA ? m : k,
            c[(split * n)..], b);
    }

    /// <summary>
    /// Takes the worker thread for a product large enough, and tall enough, to share with it; false when the product
    /// is too small, or the worker is held by another caller or asleep and the product too small to wake it. Either
    /// way the result is the same to the bit: each element is summed in the same order however the rows are split.
    /// </summary>
    private static bool TryTakeWorker(int m, int k, int n)
    {
        long products = (long)m * k * n;
        return products >= ThreadingThreshold && m >= 2 * TKernel.Rows && Environment.ProcessorCount >= 2
            && PairWorker.Shared.TryAcquire(wake: products >= WakeThreshold);
    }

    /// <summary>The first row of the worker's half: the caller takes half of the slivers of MR rows, rounded up.</summary>
    private static int SplitRow(int m) => HalfInTiles(m, TKernel.Rows);

    /// <summary>About half of <paramref name="length"/>, rounded to whole tiles of <paramref name="tile"/> (the larger half first).</summary>
    private static int HalfInTiles(int length, int tile) => ((length + tile - 1) / tile + 1) / 2 * tile;

    /// <summary>The whole product on the calling thread.</summary>
    private static void MultiplyOnOneThread(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        if (PaddedArea(n, m) * 2 <= PaddedArea(m, n))
        {
            MultiplyTransposed(a, b, c, m, k, n, transposeA, transposeB, accumulate);
            return;
        }
        // Small operands already in step order are read in place: copying them would cost as much as using them.
        bool readADirectly = transposeA && (long)m * k <= DirectReadLimit;
        bool readBDirectly = !transposeB && (long)k * n <= DirectReadLimit;
        ReadOnlySpan<float> bSource = readBDirectly ? b : PackAllOfB(b, k, n, transposeB).Span;
        MultiplyRows(a, transposeA ? m : k, transposeA, readADirectly, m, bSource, !readBDirectly, c, k, n, accumulate);
    }

    /// <summary>
    /// With the worker taken (it is given back here): rows [0, <paramref name="split"/>) on the calling thread from its
    /// spans, rows [split, m) on the worker from <paramref name="workerA"/> (its first row or step at index 0,
    /// <paramref name="workerLda"/> apart) into <paramref name="workerC"/> (its first row at index 0). Both read all of
    /// B, packed once: when the worker can read B (<paramref name="sharedB"/> not empty) each thread packs half of its
    /// slivers, else the caller packs it all.
    /// </summary>
    private static void MultiplyOnTwoThreads(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate,
        int split, ReadOnlyMemory<float> workerA, int workerLda, Memory<float> workerC, ReadOnlyMemory<float> sharedB)
    {
        var worker = PairWorker.Shared;
        int nr = TKernel.Columns;
        Memory<float> packedB = GemmBuffer.PackedB.Get(k * GemmPacking.RoundUp(n, nr));
        int ldb = transposeB ? k : n;
        int bSplit = sharedB.IsEmpty ? n : HalfInTiles(n, nr);
        RowsJob job = RowsJob.Instance;
        job.Set(workerA, workerLda, transposeA, m - split, sharedB, ldb, transposeB, bSplit, packedB, workerC, k, n, accumulate);
        worker.Post(job);
        try
        {
            try
            {
                GemmPacking.PackBColumns(b, ldb, transposeB, k, n, 0, bSplit, StepBlock, nr, packedB.Span);
            }
            finally
            {
                // Also when packing failed: the worker waits for this part to be marked, and must not wait forever.
                job.FinishPackingB(b, firstHalfDone: true);
            }
            MultiplyRows(a, transposeA ? m : k, transposeA, readADirectly: false, split, packedB.Span, bIsPacked: true, c, k, n, accumulate);
        }
        finally
        {
            try
            {
                worker.Complete();
            }
            finally
            {
                // Complete rethrows the worker's failure; the worker is given back all the same, or no later product could use it.
                job.Clear();
                worker.Release();
            }
        }
    }

    /// <summary>Packs all of op(B) into this thread's buffer (see <see cref="GemmPacking.PackB"/>).</summary>
    private static Memory<float> PackAllOfB(ReadOnlySpan<float> b, int k, int n, bool transposeB)
    {
        Memory<float> packedB = GemmBuffer.PackedB.Get(k * GemmPacking.RoundUp(n, TKernel.Columns));
        GemmPacking.PackB(b, transposeB ? k : n, transposeB, k, n, StepBlock, TKernel.Columns, packedB.Span);
        return packedB;
    }

    /// <summary>Elements of C's tiles, padding included, when rows are tiled by MR and columns by NR.</summary>
    private static long PaddedArea(int rows, int columns) =>
        (long)GemmPacking.RoundUp(rows, TKernel.Rows) * GemmPacking.RoundUp(columns, TKernel.Columns);

    /// <summary>
    /// Computes Cᵀ = op(B)ᵀ·op(A)ᵀ into a scratch buffer and writes its transpose into C (when accumulating, C is first
    /// transposed into the scratch buffer and the product added there). For a narrow C (n = 3 at the end of a
    /// classifier) this turns mostly-padding 32-wide tiles into full ones along m, at the cost of a pass or two over C.
    /// </summary>
    private static void MultiplyTransposed(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeA, bool transposeB, bool accumulate)
    {
        Span<float> transposedC = GemmBuffer.TransposedC.Get(n * m).Span;
        if (accumulate)
        {
            GemmPacking.Transpose(c, n, m, n, transposedC, m);
        }
        Multiply(b, a, transposedC, n, k, m, !transposeB, !transposeA, accumulate);
        GemmPacking.Transpose(transposedC, m, n, m, c, n);
    }

    /// <summary>
    /// C rows [0, m) from op(A) rows [0, m) and all of op(B), on the calling thread. A is packed one block of steps at
    /// a time, unless <paramref name="readADirectly"/> (A stored k×m: its whole slivers are read in place). B is either
    /// packed in full (<paramref name="bIsPacked"/>) or stored k×n and read in place, its last partial sliver packed.
    /// </summary>
    private static void MultiplyRows(
        ReadOnlySpan<float> a, int lda, bool transposeA, bool readADirectly, int m, ReadOnlySpan<float> b, bool bIsPacked,
        Span<float> c, int k, int n, bool accumulate)
    {
        int mr = TKernel.Rows;
        int nr = TKernel.Columns;
        int nPadded = GemmPacking.RoundUp(n, nr);
        int fullRows = m - m % mr;
        int fullColumns = n - n % nr;
        Span<float> packedA = GemmBuffer.PackedA.Get(GemmPacking.RoundUp(m, mr) * Math.Min(k, StepBlock)).Span;
        Span<float> packedEdgeOfB = bIsPacked ? default : GemmBuffer.PackedB.Get(Math.Min(k, StepBlock) * nr).Span;
        Span<float> edgeTile = stackalloc float[mr * nr];
        ref float aStart = ref MemoryMarshal.GetReference(a);
        ref float bStart = ref MemoryMarshal.GetReference(b);
        ref float cStart = ref MemoryMarshal.GetReference(c);
        for (int p0 = 0; p0 < k; p0 += StepBlock)
        {
            int kc = Math.Min(StepBlock, k - p0);
            if (!readADirectly)
            {
                GemmPacking.PackA(a, lda, transposeA, m, p0, kc, mr, packedA);
            }
            else if (fullRows < m)
            {
                GemmPacking.PackA(a[fullRows..], lda, transposeA, m - fullRows, p0, kc, mr, packedA);
            }
            if (!bIsPacked && fullColumns < n)
            {
                GemmPacking.PackB(b[(p0 * n + fullColumns)..], n, transposed: false, kc, n - fullColumns, kc, nr, packedEdgeOfB);
            }
            bool addToC = accumulate || p0 > 0;
            for (int j0 = 0; j0 < n; j0 += ColumnBlock)
            {
                int jEnd = Math.Min(n, j0 + ColumnBlock);
                for (int i0 = 0; i0 < m; i0 += mr)
                {
                    int height = Math.Min(mr, m - i0);
                    bool aInPlace = readADirectly && height == mr;
                    nint aStride = aInPlace ? lda : mr;
                    // Bounds: a whole sliver read in place spans rows i0..i0+mr of steps p0..p0+kc, inside A's m·k.
                    ref float aSliver = ref (aInPlace ? ref Unsafe.Add(ref aStart, p0 * lda + i0)
                        : ref packedA[readADirectly ? 0 : i0 * kc]);
                    for (int j = j0; j < jEnd; j += nr)
                    {
                        int width = Math.Min(nr, n - j);
                        bool bInPlace = !bIsPacked && width == nr;
                        nint bStride = bInPlace ? n : nr;
                        // Bounds: a whole sliver read in place spans columns j..j+nr of steps p0..p0+kc, inside B's k·n;
                        // a packed one lies inside the k·nPadded floats packed for this call.
                        ref float bSliver = ref (bInPlace ? ref Unsafe.Add(ref bStart, p0 * n + j)
                            : ref bIsPacked ? ref Unsafe.Add(ref bStart, p0 * nPadded + j * kc) : ref packedEdgeOfB[0]);
                        if (height == mr && width == nr)
                        {
                            // A whole tile lies inside C (checked at entry to be at least m·n long): write it in place.
                            TKernel.Run(ref aSliver, aStride, ref bSliver, bStride, kc, ref Unsafe.Add(ref cStart, i0 * n + j), n, addToC);
                        }
                        else
                        {
                            TKernel.Run(ref aSliver, aStride, ref bSliver, bStride, kc, ref edgeTile[0], nr, addToC: false);
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

    /// <summary>
    /// The worker's half of a two-thread product: its rows of op(A) and C, and B, whose packing the two threads share.
    /// </summary>
    /// <remarks>
    /// The caller packs the slivers of B left of column <c>_bSplit</c>, the worker the rest. Each thread, once its own
    /// part is done, packs the worker's part itself if the worker has not started it (it may not be running yet, or at
    /// all), then waits until all of B is packed: a thread only ever waits for a part that the other is packing.
    /// </remarks>
    private sealed class RowsJob : PairJob
    {
        private const int Unclaimed = 0, Packing = 1, Packed = 2;

        private ReadOnlyMemory<float> _a;
        private int _lda;
        private bool _transposeA;
        private int _rows;
        private ReadOnlyMemory<float> _b;
        private int _ldb;
        private bool _transposeB;
        private int _bSplit;
        private Memory<float> _packedB;
        private Memory<float> _c;
        private int _k;
        private int _n;
        private bool _accumulate;
        private int _callersPart;
        private int _workersPart;

        /// <summary>The one job of this kernel: only the caller holding the worker uses it.</summary>
        public static RowsJob Instance { get; } = new();

        /// <summary>Describes the worker's rows and the packing of B (see <see cref="MultiplyOnTwoThreads"/>).</summary>
        public void Set(
            ReadOnlyMemory<float> a, int lda, bool transposeA, int rows, ReadOnlyMemory<float> b, int ldb, bool transposeB,
            int bSplit, Memory<float> packedB, Memory<float> c, int k, int n, bool accumulate)
        {
            (_a, _lda, _transposeA, _rows) = (a, lda, transposeA, rows);
            (_b, _ldb, _transposeB, _bSplit, _packedB) = (b, ldb, transposeB, bSplit, packedB);
            (_c, _k, _n, _accumulate) = (c, k, n, accumulate);
            _callersPart = Unclaimed;
            _workersPart = bSplit < n ? Unclaimed : Packed;
        }

        /// <summary>
        /// Marks the caller's part of B packed (when <paramref name="firstHalfDone"/>), packs the worker's part from
        /// <paramref name="b"/> unless it is already claimed, and waits until all of B is packed.
        /// </summary>
        public void FinishPackingB(ReadOnlySpan<float> b, bool firstHalfDone)
        {
            if (firstHalfDone)
            {
                Volatile.Write(ref _callersPart, Packed);
            }
            if (Interlocked.CompareExchange(ref _workersPart, Packing, Unclaimed) == Unclaimed)
            {
                try
                {
                    GemmPacking.PackBColumns(b, _ldb, _transposeB, _k, _n, _bSplit, _n, StepBlock, TKernel.Columns, _packedB.Span);
                }
                finally
                {
                    // Marked even when packing failed, so that the other thread stops waiting; the failure still propagates.
                    Volatile.Write(ref _workersPart, Packed);
                }
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref _callersPart) != Packed || Volatile.Read(ref _workersPart) != Packed)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }

        /// <summary>Drops the references to the caller's memory.</summary>
        public void Clear() => (_a, _b, _packedB, _c) = (default, default, default, default);

        public override void RunSecondHalf()
        {
            FinishPackingB(_b.Span, firstHalfDone: false);
            MultiplyRows(_a.Span, _lda, _transposeA, readADirectly: false, _rows, _packedB.Span, bIsPacked: true, _c.Span, _k, _n, _accumulate);
        }
    }
}
