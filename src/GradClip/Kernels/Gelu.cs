using System.Numerics.Tensors;

namespace GradClip.Kernels;

/// <summary>
/// GELU in its exact erf form, x·Φ(x), and its derivative Φ(x) + x·φ(x), computed over blocks that stay in L1 with
/// vectorised passes: erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), whose e^(−x²/2) is also the
/// normal density's, so the backward pass costs one exponential per element, like the forward.
/// </summary>
internal static class Gelu
{
    private const int Block = 256;
    private const float InverseSqrt2 = 0.70710678118654752440f;
    private const float InverseSqrt2Pi = 0.39894228040143267794f;
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>y = x·Φ(x) element-wise; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<float> cdf = stackalloc float[Block];
        Span<float> gaussian = stackalloc float[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            ReadOnlySpan<float> xs = x.Slice(start, n);
            NormalCdf(xs, cdf[..n], gaussian[..n]);
            TensorPrimitives.Multiply(xs, cdf[..n], y.Slice(start, n));
        }
    }

    /// <summary>dx = g·(Φ(x) + x·φ(x)) element-wise, the gradient of GELU at <paramref name="x"/> given the output's <paramref name="g"/>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx)
    {
        Span<float> cdf = stackalloc float[Block];
        Span<float> gaussian = stackalloc float[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            ReadOnlySpan<float> xs = x.Slice(start, n);
            Span<float> phi = gaussian[..n];
            NormalCdf(xs, cdf[..n], phi);
            // Φ + x·e^(−x²/2)/√(2π), then times the output's gradient.
            TensorPrimitives.Multiply(phi, xs, phi);
            TensorPrimitives.MultiplyAdd(phi, InverseSqrt2Pi, cdf[..n], phi);
            TensorPrimitives.Multiply(phi, g.Slice(start, n), dx.Slice(start, n));
        }
    }

    /// <summary>Φ(x) into <paramref name="cdf"/> and e^(−x²/2) into <paramref name="gaussian"/>, for one block.</summary>
    private static void NormalCdf(ReadOnlySpan<float> x, Span<float> cdf, Span<float> gaussian)
    {
        // a = |x|/√2; t = 1/(1 + p·a); erf(a) = 1 − t·(a1 + t·(a2 + … + t·a5))·e^(−a²).
        Span<float> a = gaussian;
        TensorPrimitives.Abs(x, a);
        TensorPrimitives.Multiply(a, InverseSqrt2, a);
        Span<float> t = cdf;
        TensorPrimitives.Multiply(a, P, t);
        TensorPrimitives.Add(t, 1f, t);
        TensorPrimitives.Reciprocal(t, t);
        Span<float> poly = stackalloc float[t.Length];
        TensorPrimitives.Multiply(t, A5, poly);
        TensorPrimitives.Add(poly, A4, poly);
        TensorPrimitives.MultiplyAdd(poly, t, A3, poly);
        TensorPrimitives.MultiplyAdd(poly, t, A2, poly);
        TensorPrimitives.MultiplyAdd(poly, t, A1, poly);
        TensorPrimitives.Multiply(poly, t, poly);
        TensorPrimitives.Multiply(a, a, a);
        TensorPrimitives.Negate(a, a);
        TensorPrimitives.Exp(a, gaussian);
        // h = ½·t·poly·e^(−a²) = ½(1 − erf(a)); Φ(x) = ½ + sign(x)·(½ − h).
        TensorPrimitives.Multiply(poly, gaussian, poly);
        TensorPrimitives.Multiply(poly, -0.5f, poly);
        TensorPrimitives.Add(poly, 0.5f, poly);
        TensorPrimitives.CopySign(poly, x, poly);
        TensorPrimitives.Add(poly, 0.5f, cdf);
    }
}
