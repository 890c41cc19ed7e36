using System.Runtime.Intrinsics;

namespace GradClip.Kernels;

/// <summary>
/// GELU in its exact erf form, x·Φ(x), and its derivative Φ(x) + x·φ(x), in one vectorised pass over the elements:
/// erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), whose e^(−x²/2) is also the normal density's, so
/// the backward pass costs one exponential per element, like the forward. Every element, the last partial vector's
/// included, goes through the same 256-bit code, so a result does not depend on where a range was split between
/// threads; large ranges are shared with the pair worker.
/// </summary>
internal static class Gelu
{
    /// <summary>Elements per piece of work given to a thread: a multiple of every vector width.</summary>
    private const int Piece = 4096;
    private const int LargeRange = 1 << 16;
    private const float InverseSqrt2 = 0.70710678118654752440f;
    private const float InverseSqrt2Pi = 0.39894228040143267794f;
    private const float P = 0.3275911f;
    private const float A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    /// <summary>y = x·Φ(x) element-wise; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) => Map<ForwardRule>(x, x, y);

    /// <summary>dx = g·(Φ(x) + x·φ(x)) element-wise, the gradient of GELU at <paramref name="x"/> given the output's <paramref name="g"/>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx) => Map<BackwardRule>(x, g, dx);

    /// <summary><see cref="Forward(ReadOnlySpan{float}, Span{float})"/> over memory, large ranges split between two threads.</summary>
    public static void Forward(ReadOnlyMemory<float> x, Memory<float> y) =>
        Split(x.Length, (start, end) => Forward(x.Span[start..end], y.Span[start..end]));

    /// <summary><see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> over memory, large ranges split between two threads.</summary>
    public static void Backward(ReadOnlyMemory<float> x, ReadOnlyMemory<float> g, Memory<float> dx) =>
        Split(x.Length, (start, end) => Backward(x.Span[start..end], g.Span[start..end], dx.Span[start..end]));

    private static void Split(int length, Action<int, int> body)
    {
        int pieces = (length + Piece - 1) / Piece;
        PairRange.For(pieces, length >= LargeRange, (first, last) => body(first * Piece, Math.Min(last * Piece, length)));
    }

    /// <summary>Applies <typeparamref name="TRule"/> to whole vectors, then to the tail padded into one vector.</summary>
    private static void Map<TRule>(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> output)
        where TRule : struct, IRule
    {
        int width = Vector256<float>.Count;
        int i = 0;
        for (; i <= x.Length - width; i += width)
        {
            TRule.Apply(Vector256.Create(x.Slice(i, width)), Vector256.Create(g.Slice(i, width))).CopyTo(output.Slice(i, width));
        }
        int tail = x.Length - i;
        if (tail > 0)
        {
            Span<float> xs = stackalloc float[width];
            Span<float> gs = stackalloc float[width];
            x[i..].CopyTo(xs);
            g[i..].CopyTo(gs);
            TRule.Apply(Vector256.Create(xs), Vector256.Create(gs)).CopyTo(xs);
            xs[..tail].CopyTo(output[i..]);
        }
    }

    /// <summary>Φ(x) and e^(−x²/2) for one vector.</summary>
    private static (Vector256<float> Cdf, Vector256<float> Gaussian) NormalCdf(Vector256<float> x)
    {
        // a = |x|/√2; t = 1/(1 + p·a); erf(a) = 1 − t·(a1 + t·(a2 + … + t·a5))·e^(−a²).
        Vector256<float> a = Vector256.Abs(x) * InverseSqrt2;
        Vector256<float> t = Vector256<float>.One / Vector256.FusedMultiplyAdd(a, Vector256.Create(P), Vector256<float>.One);
        Vector256<float> poly = Vector256.FusedMultiplyAdd(Vector256.Create(A5), t, Vector256.Create(A4));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A3));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A2));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(A1));
        poly *= t;
        Vector256<float> gaussian = Vector256.Exp(-(a * a));
        // h = ½·t·poly·e^(−a²) = ½(1 − erf(a)); Φ(x) = ½ + sign(x)·(½ − h).
        Vector256<float> half = Vector256.Create(0.5f);
        Vector256<float> tail = Vector256.FusedMultiplyAdd(poly * gaussian, Vector256.Create(-0.5f), half);
        return (half + Vector256.CopySign(tail, x), gaussian);
    }

    /// <summary>An element-wise rule over one vector of inputs and one of output gradients.</summary>
    private interface IRule
    {
        static abstract Vector256<float> Apply(Vector256<float> x, Vector256<float> g);
    }

    private readonly struct ForwardRule : IRule
    {
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> g) => x * NormalCdf(x).Cdf;
    }

    private readonly struct BackwardRule : IRule
    {
        public static Vector256<float> Apply(Vector256<float> x, Vector256<float> g)
        {
            (Vector256<float> cdf, Vector256<float> gaussian) = NormalCdf(x);
            // Φ + x·e^(−x²/2)/√(2π), then times the output's gradient.
            return g * Vector256.FusedMultiplyAdd(x * gaussian, Vector256.Create(InverseSqrt2Pi), cdf);
        }
    }
}
