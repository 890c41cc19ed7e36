using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GradClip.Kernels;

/// <summary>Reductions and updates over a list of buffers (one per tensor) as if they were one long buffer.</summary>
/// <remarks>
/// <para>
/// Above <see cref="ParallelThreshold"/> elements in all, the concatenated elements are split into two halves by element
/// count (a tensor may be cut in two) and a persistent worker thread runs the second half while the caller runs the
/// first: one thread reaches only about half of the machine's memory bandwidth. The split depends on the buffers'
/// lengths only, so every call over the same lengths gives each thread the same elements (a scale pass finds its half
/// still in the cache the norm pass left it in) and results are bit-identical from call to call, whichever thread runs
/// which half. Below the threshold everything runs on the calling thread, and so does a call below
/// <see cref="WakeThreshold"/> that finds the worker asleep.
/// </para>
/// <para>
/// Per tensor the cost is a few nanoseconds: no allocation, task or delegate per tensor or per call. Arrays and
/// <see cref="List{T}"/> are read as spans; other lists are copied once per call into a pooled array. The buffers must
/// not overlap one another.
/// </para>
/// </remarks>
public static class MultiTensor
{
    /// <summary>
    /// The total element count from which the work is split over two threads, chosen with
    /// <c>ParallelThresholdBenchmarks</c>: with the worker awake, the norm pass on two threads took 1.09 of one thread's
    /// time at 16 K floats, 0.75 at 32 K, 0.66 at 64 K, 0.58 at 128 K and 0.28 to 0.51 from 256 K to 1 M.
    /// </summary>
    internal const long ParallelThreshold = 1 << 16;

    /// <summary>
    /// The total element count from which a call wakes the worker thread when it has gone to sleep (it sleeps 50 µs after
    /// its last job, so in a training loop it is asleep at every clip's norm pass). Waking costs a system call and a
    /// scheduler wake-up that often lands the worker on the caller's processor for a while. Measured on clips (norm and
    /// scale) 1 ms apart, against one thread: 256 K floats 1.08 of the time, 1 M 1.03, 4 M 0.59; and once awake the worker
    /// serves the calls that follow. Smaller calls that find it asleep run both halves on the caller.
    /// </summary>
    internal const long WakeThreshold = 1 << 19;

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
        PowerSums(buffers, p, partials, Threading.Default);

    /// <summary>
    /// Writes each buffer's Σ|s·x|^p (s = <paramref name="scale"/>, p finite and not 1 or 2) into <paramref name="partials"/>
    /// and returns their sum: with s = 1/max|x| no term exceeds 1, so a large p neither overflows nor underflows double.
    /// </summary>
    public static double ScaledPowerSums(IReadOnlyList<Memory<float>> buffers, double p, double scale, Span<double> partials)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        RequirePartials(buffers, partials);
        return Run(buffers, new SumAbsPowKernel(p, scale), partials, Threading.Default);
    }

    private static void RequirePartials(IReadOnlyList<Memory<float>> buffers, Span<double> partials)
    {
        if (partials.Length < buffers.Count)
        {
            throw new ArgumentException($"{partials.Length} partials for {buffers.Count} buffers.", nameof(partials));
        }
    }

    /// <summary>Multiplies every element of every buffer by <paramref name="factor"/> (IEEE rules, as <see cref="Updates.Scale(Span{float}, float)"/>).</summary>
    public static void Scale(IReadOnlyList<Memory<float>> buffers, float factor) => Scale(buffers, factor, Threading.Default);

    /// <summary>Multiplies every buffer by a factor computed in double (see <see cref="Updates.AsFloatFactors"/>).</summary>
    internal static void Scale(IReadOnlyList<Memory<float>> buffers, double factor)
    {
        var (single, times) = Updates.AsFloatFactors(factor);
        for (int i = 0; i < times; i++)
        {
            Scale(buffers, single);
        }
    }

    /// <summary>
    /// Clamps every element of every buffer to [<paramref name="min"/>, <paramref name="max"/>], bounds included; NaN stays
    /// NaN (as <see cref="Updates.Clamp(Span{float}, float, float)"/>). Clipping by value over a whole parameter list, on
    /// two threads when it is large.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static void Clamp(IReadOnlyList<Memory<float>> buffers, float min, float max) =>
        Clamp(buffers, min, max, Threading.Default);

    /// <summary>
    /// Clamps as <see cref="Clamp(IReadOnlyList{Memory{float}}, float, float)"/> and returns Σx² of all the clamped
    /// elements, in one pass over memory: the norm after clipping by value comes for free.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> exceeds <paramref name="max"/>, or either is NaN.</exception>
    public static double ClampAndSumSquares(IReadOnlyList<Memory<float>> buffers, float min, float max)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        return Run(buffers, new ClampAndSumSquaresKernel(new ClampOperator(min, max)), [], Threading.Default);
    }

    /// <summary>
    /// <see cref="PowerSums(IReadOnlyList{Memory{float}}, double, Span{double})"/> with the thresholds as a parameter, for
    /// tests and benchmarks.
    /// </summary>
    internal static double PowerSums(IReadOnlyList<Memory<float>> buffers, double p, Span<double> partials, Threading threading)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        RequirePartials(buffers, partials);
        if (!(p > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Must be greater than zero (or +∞).");
        }
        return p switch
        {
            1 => Run(buffers, new SumAbsKernel(), partials, threading),
            2 => Run(buffers, new SumSquaresKernel(), partials, threading),
            double.PositiveInfinity => Run(buffers, new MaxAbsKernel(), partials, threading),
            _ => Run(buffers, new SumAbsPowKernel(p, 1), partials, threading),
        };
    }

    /// <summary>
    /// <see cref="Scale(IReadOnlyList{Memory{float}}, float)"/> with the thresholds as a parameter, for tests and benchmarks.
    /// </summary>
    internal static void Scale(IReadOnlyList<Memory<float>> buffers, float factor, Threading threading)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        Run(buffers, new ScaleKernel(factor), [], threading);
    }

    /// <summary>
    /// <see cref="Clamp(IReadOnlyList{Memory{float}}, float, float)"/> with the thresholds as a parameter, for tests and
    /// benchmarks.
    /// </summary>
    internal static void Clamp(IReadOnlyList<Memory<float>> buffers, float min, float max, Threading threading)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        Run(buffers, new ClampKernel(new ClampOperator(min, max)), [], threading);
    }

    private static double Run<TKernel>(IReadOnlyList<Memory<float>> buffers, TKernel kernel, Span<double> partials, Threading threading)
        where TKernel : struct, ITensorKernel
    {
        switch (buffers)
        {
            case Memory<float>[] array:
                return Run(new BufferSource(array, array.Length), kernel, partials, threading);
            case List<Memory<float>> list:
                return Run(new BufferSource(list), kernel, partials, threading);
        }
        // Any other list is copied once into a pooled array, so that the passes read a span, not an interface per tensor.
        int count = buffers.Count;
        var copy = ArrayPool<Memory<float>>.Shared.Rent(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                copy[i] = buffers[i];
            }
            return Run(new BufferSource(copy, count), kernel, partials, threading);
        }
        finally
        {
            copy.AsSpan(0, count).Clear();
            ArrayPool<Memory<float>>.Shared.Return(copy);
        }
    }

    private static double Run<TKernel>(BufferSource source, TKernel kernel, Span<double> partials, Threading threading)
        where TKernel : struct, ITensorKernel
    {
        var buffers = source.Span;
        long length = 0;
        foreach (var buffer in buffers)
        {
            length += buffer.Length;
        }
        if (length < threading.ParallelThreshold || length == 0)
        {
            return Apply(buffers, kernel, 0, partials, 0, 0);
        }

        // The split: elements [0, half) go to the caller, the rest to the worker. Buffer `index` holds element `half`,
        // at `offset`: the caller takes its first `offset` elements (none when offset is 0), the worker the rest.
        long half = length / 2;
        int index = 0;
        long before = 0;
        while (before + buffers[index].Length <= half)
        {
            before += buffers[index++].Length;
        }
        int offset = (int)(half - before);
        int secondCount = buffers.Length - index;

        var worker = PairWorker.Shared;
        if (!worker.TryAcquire(wake: length >= threading.WakeThreshold))
        {
            // Another caller holds the worker, or it sleeps and this call is too small to wake it: run both halves here,
            // computing exactly what the two threads would.
            double firstTotal = FirstHalf(buffers, kernel, index, offset, partials);
            double head = TKernel.HasPartials && offset > 0 ? partials[index] : 0;
            double secondTotal = SecondHalf(buffers, kernel, index, offset, TKernel.HasPartials ? partials[index..] : []);
            return Join(kernel, partials, index, offset, head, firstTotal, secondTotal);
        }

        var job = HalfJob<TKernel>.Instance;
        job.Source = source;
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
            job.Source = default;
            worker.Release();
        }
    }

    /// <summary>Applies the kernel to whole buffers [from, end), writing partial i at output[i - origin], combining into total.</summary>
    private static double Apply<TKernel>(ReadOnlySpan<Memory<float>> buffers, TKernel kernel, int from, Span<double> output, int origin, double total)
        where TKernel : struct, ITensorKernel
    {
        for (int i = from; i < buffers.Length; i++)
        {
            double s = kernel.Apply(buffers[i].Span);
            if (TKernel.HasPartials)
            {
                output[i - origin] = s;
            }
            total = kernel.Combine(total, s);
        }
        return total;
    }

    /// <summary>The caller's half: buffers [0, index) and the first <paramref name="offset"/> elements of buffer index.</summary>
    private static double FirstHalf<TKernel>(ReadOnlySpan<Memory<float>> buffers, TKernel kernel, int index, int offset, Span<double> partials)
        where TKernel : struct, ITensorKernel
    {
        double total = Apply(buffers[..index], kernel, 0, partials, 0, 0);
        if (offset > 0)
        {
            double s = kernel.Apply(buffers[index].Span[..offset]);
            if (TKernel.HasPartials)
            {
                partials[index] = s;
            }
            total = kernel.Combine(total, s);
        }
        return total;
    }

    /// <summary>The worker's half: buffer index from <paramref name="offset"/> on, and the buffers after it; partial i at output[i - index].</summary>
    private static double SecondHalf<TKernel>(ReadOnlySpan<Memory<float>> buffers, TKernel kernel, int index, int offset, Span<double> output)
        where TKernel : struct, ITensorKernel
    {
        double s = kernel.Apply(buffers[index].Span[offset..]);
        if (TKernel.HasPartials)
        {
            output[0] = s;
        }
        return Apply(buffers, kernel, index + 1, output, index, s);
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

    /// <summary>The buffers of one call, in a form the worker thread can read again as a span.</summary>
    private readonly struct BufferSource
    {
        private readonly Memory<float>[]? _array;
        private readonly List<Memory<float>>? _list;
        private readonly int _count;

        public BufferSource(Memory<float>[] array, int count) => (_array, _count) = (array, count);

        public BufferSource(List<Memory<float>> list) => _list = list;

        public ReadOnlySpan<Memory<float>> Span => _list is not null ? CollectionsMarshal.AsSpan(_list) : _array.AsSpan(0, _count);
    }

    /// <summary>The worker's half of a call, one instance per kernel type, used only while the worker is held.</summary>
    private sealed class HalfJob<TKernel> : PairJob
        where TKernel : struct, ITensorKernel
    {
        public static readonly HalfJob<TKernel> Instance = new();

        public BufferSource Source;
        public TKernel Kernel;
        public int Index;
        public int Offset;
        public double Total;
        // Room for the second half's partials of up to 1 K tensors from the start; larger lists grow it once.
        public double[] Partials = TKernel.HasPartials ? new double[1024] : [];

        public override void RunSecondHalf() => Total = SecondHalf(Source.Span, Kernel, Index, Offset, Partials);
    }
}

/// <summary>When a multi-tensor call uses the worker thread (see <see cref="MultiTensor"/>).</summary>
/// <param name="ParallelThreshold">The total element count from which the work is split over two threads.</param>
/// <param name="WakeThreshold">The total element count from which a call wakes the worker when it sleeps.</param>
internal readonly record struct Threading(long ParallelThreshold, long WakeThreshold)
{
    public static Threading Default => new(MultiTensor.ParallelThreshold, MultiTensor.WakeThreshold);

    /// <summary>Everything on the calling thread.</summary>
    public static Threading OneThread => new(long.MaxValue, long.MaxValue);

    /// <summary>Every call split, waking the worker whenever it sleeps.</summary>
    public static Threading TwoThreads => new(0, 0);
}

/// <summary>What a multi-tensor call does to each buffer, and how per-buffer results combine.</summary>
internal interface ITensorKernel
{
    /// <summary>Whether per-buffer results are written to the caller's partials.</summary>
    static abstract bool HasPartials { get; }

    double Apply(Span<float> buffer);

    double Combine(double total, double part);
}

internal readonly struct SumAbsKernel : ITensorKernel
{
    public static bool HasPartials => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer) => Reductions.SumAbs(buffer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Combine(double total, double part) => total + part;
}

internal readonly struct SumSquaresKernel : ITensorKernel
{
    public static bool HasPartials => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer) => Reductions.SumSquares(buffer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Combine(double total, double part) => total + part;
}

internal readonly struct SumAbsPowKernel(double p, double scale) : ITensorKernel
{
    public static bool HasPartials => true;

    public double Apply(Span<float> buffer) => Reductions.SumAbsPow(buffer, p, scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Combine(double total, double part) => total + part;
}

internal readonly struct MaxAbsKernel : ITensorKernel
{
    public static bool HasPartials => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(Span<float> buffer) => Reductions.MaxAbs(buffer);

    // Math.Max propagates NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Combine(double total, double part) => Math.Max(total, part);
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
