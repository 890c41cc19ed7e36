using BenchmarkDotNet.Attributes;
using GradClip.Kernels;

namespace GradClip.Benchmarks;

/// <summary>
/// Chooses <c>MultiTensor.ParallelThreshold</c>: the norm pass over one buffer on one thread against two (the caller and
/// the persistent worker, kept awake by the back-to-back calls), from 16 K to 1 M floats. The threshold is the smallest
/// size where two threads win clearly. (<c>MultiTensor.WakeThreshold</c>, for a worker that has gone to sleep, was
/// chosen from clips timed 1 ms apart: see its remarks.)
/// </summary>
[Config(typeof(ShortRunConfig))]
public class ParallelThresholdBenchmarks
{
    private List<Memory<float>> _gradients = [];
    private readonly double[] _partials = new double[1];

    [Params(16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20)]
    public int Floats { get; set; }

    [GlobalSetup]
    public void Setup() => _gradients = [GradientSets.Fill(Floats, seed: 1)];

    [Benchmark(Baseline = true)]
    public double OneThread() => MultiTensor.PowerSums(_gradients, 2, _partials, Threading.OneThread);

    [Benchmark]
    public double TwoThreads() => MultiTensor.PowerSums(_gradients, 2, _partials, Threading.TwoThreads);
}
