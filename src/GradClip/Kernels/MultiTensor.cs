using System.Runtime.CompilerServices;

namespace GradClip.Kernels;

/// <summary>Reductions and updates over a list of buffers (one per tensor) as if they were one long buffer.</summary>
/// <remarks>
/// <para>
/// Above <see cref="ParallelThreshold"/> elements in all, the concatenated elements are split into two halves by element
/// count (a tensor may be cut in two) and a persistent worker thread runs the second half while the caller runs the
/// first: one thread reaches only about half of the machine's memory bandwidth. The split depends on the buffers'
/// lengths only, so every call over the same lengths gives each thread the same elements (a scale pass finds its half
/// still in the cache the norm pass left it in) and results are bit-identical from call to call. Below the threshold
/// everything runs on the calling thread.
/// </para>
/// <para>
/// Per tensor the cost is a few nanoseconds: no allocation, task or delegate per tensor or per call. Arrays and
/// <see cref="List{T}"/> are read without interface calls. The buffers must not overlap one another.
/// </para>
/// </remarks>
public static class MultiTensor
{
    /// <summary>
    /// The total element count from which the work is split over two threads; chosen with
    /// <c>ParallelThresholdBenchmarks</c> (norm pass, one against two threads, 16 K to 1 M floats).
    /// </summary>
    internal const long ParallelThreshold = 1 << 16;

    /// <summary>
    /// Writes each buffer's <see cref="Reductions.PowerSum"/> into <paramref name="partials"/> and returns their
    /// combination: the sum, or the maximum when p is +∞ (NaN when any partial is NaN).
    /// </summary>
    /// <remarks>
    /// The partial of a tensor split between the two threads is the sum (for p = ∞ the maximum) of its two halves' sums, so
    /// it may differ from <see cref="Reductions.PowerSum"/> of the whole buffer in the last bits; it is still deterministic.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not &gt; 0.</exception>
    public static double PowerSums(IReadOnlyList<Memory<float>> buffers, double p, Span<double> partials) =>
        PowerSums(buffers, p, partials, ParallelThreshold);

    /// <summary>Multiplies every element of every buffer by <paramref name="factor"/> (IEEE rules, as <see cref="Updates.Scale"/>).</summary>
    public static void Scale(IReadOnlyList<Memory<float>> buffers, float factor) => Scale(buffers, factor, ParallelThreshold);

    /// <summary>
    /// Clamps every element of every buffer to [<paramref name="min"/>, <paramref name="max"/>], bounds included; NaN stays
    /// NaN (as <see cref="Updates.Clamp(Span{float}, float, float)"/>). Clipping by value over a whole parameter list, on two threads when it is large.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static void Clamp(IReadOnlyList<Memory<float>> buffers, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        Run(buffers, new ClampKernel(new ClampOperator(min, max)), [], ParallelThreshold);
    }

    /// <summary>
    /// Clamps as <see cref="Clamp"/> and returns Σx² of all the clamped elements, in one pass over memory: the norm after
    /// clipping by value comes for free.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static double ClampAndSumSquares(IReadOnlyList<Memory<float>> buffers, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        return Run(buffers, new ClampAndSumSquaresKernel(new ClampOperator(min, max)), [], ParallelThreshold);
    }

    /// <summary><see cref="PowerSums(IReadOnlyList{Memory{float}}, double, Span{double})"/> with the threshold as a parameter, for tests and benchmarks.</summary>
    internal static double PowerSums(IReadOnlyList<Memory<float>> buffers, double p, Span<double> partials, long parallelThreshold)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (partials.Length < buffers.Count)
        {
            throw new ArgumentException($"{partials.Length} partials for {buffers.Count} buffers.", nameof(partials));
        }
        if (!(p > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Must be greater than zero (or +∞).");
        }
        return Run(buffers, new PowerSumKernel(p), partials, parallelThreshold);
    }

    /// <summary><see cref="Scale(IReadOnlyList{Memory{float}}, float)"/> with the threshold as a parameter, for tests and benchmarks.</summary>
    internal static void Scale(IReadOnlyList<Memory<float>> buffers, float factor, long parallelThreshold)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        Run(buffers, new ScaleKernel(factor), [], parallelThreshold);
    }

    private static double Run<TKernel>(IReadOnlyList<Memory<float>> buffers, TKernel kernel, Span<double> partials, long parallelThreshold)
        where TKernel : struct, ITensorKernel => buffers switch
        {
            Memory<float>[] array => Run(new ArrayBufferList(array), kernel, partials, parallelThreshold),
            List<Memory<float>> list => Run(new ListBufferList(list), kernel, partials, parallelThreshold),
            _ => Run(new ReadOnlyListBufferList(buffers), kernel, partials, parallelThreshold),
        };

    private static double Run<TBuffers, TKernel>(TBuffers buffers, TKernel kernel, Span<double> partials, long parallelThreshold)
        where TBuffers : struct, IBufferList
        where TKernel : struct, ITensorKernel
    {
        int count = buffers.Count;
        long length = 0;
        for (int i = 0; i < count; i++)
        {
            length += buffers.LengthOf(i);
        }
        if (length < parallelThreshold || length == 0)
        {
            return Apply(buffers, kernel, 0, count, partials, 0, 0);
        }

        // The split: elements [0, half) go to the caller, the rest to the worker. Tensor `index` holds element `half`,
        // at `offset`: the caller takes its first `offset` elements (none when offset is 0), the worker the rest.
        long half = length / 2;
        int index = 0;
        long before = 0;
        while (before + buffers.LengthOf(index) <= half)
        {
            before += buffers.LengthOf(index++);
        }
        int offset = (int)(half - before);
        int secondCount = count - index;

        var worker = PairWorker.Shared;
        if (!worker.TryAcquire())
        {
            // Another caller holds the worker: run both halves here, computing exactly what the two threads would.
            double firstTotal = FirstHalf(buffers, kernel, index, offset, partials);
            double head = TKernel.HasPartials && offset > 0 ? partials[index] : 0;
            double secondTotal = SecondHalf(buffers, kernel, index, offset, TKernel.HasPartials ? partials[index..] : []);
            return Join(kernel, partials, index, offset, head, firstTotal, secondTotal);
        }

        var job = HalfJob<TBuffers, TKernel>.Instance;
        job.Buffers = buffers;
        job.Kernel = kernel;
        job.Index = index;
        job.Offset = offset;
        if (TKernel.HasPartials && job.Partials.Length < secondCount)
        {
            job.Partials = new double[Math.Max(secondCount, 2 * job.Partials.Length)];
        }
        worker.Post(job);
        try
        {
            double first;
            try
            {
                first = FirstHalf(buffers, kernel, index, offset, partials);
            }
            finally
            {
                worker.Complete();
            }
            if (!TKernel.HasPartials)
            {
                return kernel.Combine(first, job.Total);
            }
            double head = offset > 0 ? partials[index] : 0;
            job.Partials.AsSpan(0, secondCount).CopyTo(partials[index..]);
            return Join(kernel, partials, index, offset, head, first, job.Total);
        }
        finally
        {
            job.Buffers = default;
            worker.Release();
        }
    }

    /// <summary>Applies the kernel to whole buffers [from, to), writing partial i at output[i - origin], combining into total.</summary>
    private static double Apply<TBuffers, TKernel>(TBuffers buffers, TKernel kernel, int from, int to, Span<double> output, int origin, double total)
        where TBuffers : struct, IBufferList
        where TKernel : struct, ITensorKernel
    {
        for (int i = from; i < to; i++)
        {
            double s = kernel.Apply(buffers.SpanOf(i));
            if (TKernel.HasPartials)
            {
                output[i - origin] = s;
            }
            total = kernel.Combine(total, s);
        }
        return total;
    }

    /// <summary>The caller's half: buffers [0, index) and the first <paramref name="offset"/> elements of buffer index.</summary>
    private static double FirstHalf<TBuffers, TKernel>(TBuffers buffers, TKernel kernel, int index, int offset, Span<double> partials)
        where TBuffers : struct, IBufferList
        where TKernel : struct, ITensorKernel
    {
        double total = Apply(buffers, kernel, 0, index, partials, 0, 0);
        if (offset > 0)
        {
            double s = kernel.Apply(buffers.SpanOf(index)[..offset]);
            if (TKernel.HasPartials)
            {
                partials[index] = s;
            }
            total = kernel.Combine(total, s);
        }
        return total;
    }

    /// <summary>The worker's half: buffer index from <paramref name="offset"/> on, and the buffers after it; partial i at output[i - index].</summary>
    private static double SecondHalf<TBuffers, TKernel>(TBuffers buffers, TKernel kernel, int index, int offset, Span<double> output)
        where TBuffers : struct, IBufferList
        where TKernel : struct, ITensorKernel
    {
        double s = kernel.Apply(buffers.SpanOf(index)[offset..]);
        if (TKernel.HasPartials)
        {
            output[0] = s;
        }
        return Apply(buffers, kernel, index + 1, buffers.Count, output, index, s);
    }

    /// <summary>
    /// With both halves' partials in place (partials[index..] holding the second half's), combines a split tensor's two
    /// parts (the first half's <paramref name="head"/> first) and returns the total.
    /// </summary>
    private static double Join<TKernel>(TKernel kernel, Span<double> partials, int index, int offset, double head, double firstTotal, double secondTotal)
        where TKernel : struct, ITensorKernel
    {
        if (TKernel.HasPartials && offset > 0)
        {
            partials[index] = kernel.Combine(head, partials[index]);
        }
        return kernel.Combine(firstTotal, secondTotal);
    }

    /// <summary>The worker's half of a call, one instance per buffer-list and kernel type, used only while the worker is held.</summary>
    private sealed class HalfJob<TBuffers, TKernel> : PairJob
        where TBuffers : struct, IBufferList
        where TKernel : struct, ITensorKernel
    {
        public static readonly HalfJob<TBuffers, TKernel> Instance = new();

        public TBuffers Buffers;
        public TKernel Kernel;
        public int Index;
        public int Offset;
        public double Total;
        public double[] Partials = [];

        public override void RunSecondHalf() => Total = SecondHalf(Buffers, Kernel, Index, Offset, Partials);
    }
}

/// <summary>What a multi-tensor call does to each buffer, and how per-buffer results combine.</summary>
internal interface ITensorKernel
{
    /// <summary>Whether per-buffer results are written to the caller's partials.</summary>
    static abstract bool HasPartials { get; }

    double Apply(Span<float> buffer);

    double Combine(double total, double part);
}

internal readonly struct PowerSumKernel(double p) : ITensorKernel
{
    public static bool HasPartials => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer) => Reductions.PowerSum(buffer, p);

    // Math.Max propagates NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Combine(double total, double part) => double.IsPositiveInfinity(p) ? Math.Max(total, part) : total + part;
}

internal readonly struct ScaleKernel(float factor) : ITensorKernel
{
    public static bool HasPartials => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer)
    {
        Updates.Scale(buffer, factor);
        return 0;
    }

    public double Combine(double total, double part) => 0;
}

internal readonly struct ClampKernel(ClampOperator clamp) : ITensorKernel
{
    public static bool HasPartials => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer)
    {
        Updates.Clamp(buffer, clamp);
        return 0;
    }

    public double Combine(double total, double part) => 0;
}

internal readonly struct ClampAndSumSquaresKernel(ClampOperator clamp) : ITensorKernel
{
    public static bool HasPartials => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer) => Updates.ClampAndSumSquares(buffer, clamp);

    public double Combine(double total, double part) => total + part;
}
