using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using GradClip.Autograd;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Benchmarks;

/// <summary>
/// A full clip by global L2 norm as the library runs it (MultiTensor.PowerSums, sqrt in double, coef = min(1, maxNorm /
/// (norm + 1e-6)), MultiTensor.Scale when coef &lt; 1), against the machine's bandwidth over the same number of bytes
/// (<see cref="Bandwidth"/>: one read for the norm, one read + one read+write for a clip that scales) and a naive
/// scalar loop.
/// </summary>
/// <remarks>
/// Ratios to compare: ReadPass / NormOnly (≥ 0.9 is the target), (ReadPass + ReadWritePass) / Scaling and
/// ReadWritePass / ClipGradValue; for the
/// many small tensors, NormOnly of <see cref="GradientSet.Small10000x100"/> against <see cref="GradientSet.Small1MAsOne"/>,
/// and the public API on parameters whose gradients live in one <see cref="FlatGradients"/> buffer (FlatClipGradNormOnly)
/// against the same call on one parameter whose gradient is that whole buffer (FlatBufferAsOneClipGradNormOnly: the same
/// bytes at the same addresses, so the comparison does not depend on where the allocator put them).
/// </remarks>
[Config(typeof(ShortRunConfig))]
public class ClipBenchmarks
{
    private const double Epsilon = 1e-6;

    private List<Memory<float>> _gradients = [];
    private Tensor[] _parameters = [];
    private IReadOnlyList<Tensor> _flatParameters = [];
    private Tensor[] _flatBufferAsOne = [];
    private float[] _flat = [];
    private double[] _partials = [];
    private double _normOnlyMaxNorm;
    private double _scalingMaxNorm;

    [Params(GradientSet.OneBuffer64Mi, GradientSet.Transformer25M, GradientSet.Small10000x100, GradientSet.Small1MAsOne)]
    public GradientSet Set { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _gradients = GradientSets.Allocate(Set);
        _parameters = _gradients.Select(Parameter).ToArray();
        var flat = FlatGradientsOf(_gradients);
        _flatParameters = flat.Parameters;
        _flatBufferAsOne = [OneParameterOver(flat.Buffer)];
        _partials = new double[_gradients.Count];
        long total = _gradients.Sum(g => (long)g.Length);
        _flat = GradientSets.Fill((int)total, seed: 99);
        double norm = Math.Sqrt(MultiTensor.PowerSums(_gradients, 2, _partials));
        _normOnlyMaxNorm = 2 * norm;
        _scalingMaxNorm = norm;
    }

    /// <summary>max_norm above the norm: one read of every gradient.</summary>
    [Benchmark]
    public double NormOnly() => ClipByGlobalNorm(_normOnlyMaxNorm);

    /// <summary>max_norm just below the norm: one read, then one read+write to scale.</summary>
    [Benchmark]
    public double Scaling() => ClipToJustBelow(ClipByGlobalNorm);

    /// <summary>The public API on parameter tensors whose gradients are these buffers, max_norm above the norm: one read.</summary>
    [Benchmark]
    public double ClipGradNormOnly() => Clip.GradNorm(_parameters, _normOnlyMaxNorm);

    /// <summary>The public API on parameters whose gradients are views of one flat buffer, max_norm above the norm: one read.</summary>
    [Benchmark]
    public double FlatClipGradNormOnly() => Clip.GradNorm(_flatParameters, _normOnlyMaxNorm);

    /// <summary>The public API on one parameter whose gradient is the whole flat buffer of the case above: one read.</summary>
    [Benchmark]
    public double FlatBufferAsOneClipGradNormOnly() => Clip.GradNorm(_flatBufferAsOne, _normOnlyMaxNorm);

    /// <summary>The public API on parameters with a flat gradient buffer, max_norm just below the norm: one read, one read+write.</summary>
    [Benchmark]
    public double FlatClipGradNormScaling() => ClipToJustBelow(maxNorm => Clip.GradNorm(_flatParameters, maxNorm));

    /// <summary>The public API on one parameter whose gradient is the whole flat buffer, scaling: one read, one read+write.</summary>
    [Benchmark]
    public double FlatBufferAsOneClipGradNormScaling() => ClipToJustBelow(maxNorm => Clip.GradNorm(_flatBufferAsOne, maxNorm));

    /// <summary>
    /// clip_grad_value_ through the public API on one parameter whose gradient is the whole flat buffer: one read+write
    /// (compare with <see cref="ReadWritePass"/>). The first call clamps; later ones rewrite values already in bounds.
    /// </summary>
    [Benchmark]
    public void ClipGradValue() => Clip.GradValue(_flatBufferAsOne, 0.5);

    /// <summary>The machine's read bandwidth over the same number of bytes, two threads.</summary>
    [Benchmark(Baseline = true)]
    public float ReadPass() => Bandwidth.Read(_flat);

    /// <summary>The machine's in-place read+write bandwidth over the same number of bytes, two threads.</summary>
    [Benchmark]
    public void ReadWritePass() => Bandwidth.ReadWrite(_flat);

    /// <summary>The loop anyone would write first: Σx² in double, element by element, one thread.</summary>
    [Benchmark]
    public double NaiveNorm()
    {
        double sum = 0;
        foreach (var g in _gradients)
        {
            foreach (float v in g.Span)
            {
                sum += (double)v * v;
            }
        }
        return Math.Sqrt(sum);
    }

    private double ClipByGlobalNorm(double maxNorm)
    {
        double norm = Math.Sqrt(MultiTensor.PowerSums(_gradients, 2, _partials));
        double coef = Math.Min(1, maxNorm / (norm + Epsilon));
        if (coef < 1)
        {
            MultiTensor.Scale(_gradients, (float)coef);
        }
        return norm;
    }

    /// <summary>Clips to just under the norm left by the previous call, so that every call scales, and checks that it did.</summary>
    private double ClipToJustBelow(Func<double, double> clip)
    {
        // Scaling by 1 - 2^-20 a call keeps the values far from the subnormal range however many calls the benchmark makes.
        _scalingMaxNorm *= 1 - 1.0 / (1 << 20);
        double norm = clip(_scalingMaxNorm);
        if (!(_scalingMaxNorm / (norm + Epsilon) < 1))
        {
            throw new InvalidOperationException("The scaling benchmark stopped scaling.");
        }
        return norm;
    }

    /// <summary>Parameters of the gradients' sizes whose gradients are a <see cref="FlatGradients"/> buffer holding copies of them.</summary>
    private static FlatGradients FlatGradientsOf(List<Memory<float>> gradients)
    {
        var flat = new FlatGradients(gradients.Select(g => Tensor.Zeros(g.Length)).ToArray());
        for (int i = 0; i < gradients.Count; i++)
        {
            gradients[i].Span.CopyTo(flat.Parameters[i].Grad!.Span);
        }
        return flat;
    }

    /// <summary>A parameter whose gradient is a view of all of <paramref name="buffer"/>.</summary>
    private static Tensor OneParameterOver(Memory<float> buffer)
    {
        if (!MemoryMarshal.TryGetArray<float>(buffer, out var segment))
        {
            throw new InvalidOperationException("A flat gradient buffer is an array.");
        }
        var parameter = Tensor.Zeros(buffer.Length);
        parameter.Grad = Tensor.FromStorage(segment.Array!, segment.Offset, [buffer.Length]);
        return parameter;
    }

    private static Tensor Parameter(Memory<float> gradient)
    {
        var parameter = Tensor.Zeros(gradient.Length);
        parameter.Grad = Tensor.FromArray(gradient.ToArray());
        return parameter;
    }
}
