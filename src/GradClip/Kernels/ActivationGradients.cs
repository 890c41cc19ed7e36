using System.Numerics;

namespace GradClip.Kernels;

/// <summary>
/// Backward rules of element-wise activations as vector loops over the whole tensor, each element computed by the same
/// float operations in the vector body and the scalar tail, so the result does not depend on where a tail begins.
/// </summary>
internal static class ActivationGradients
{
    /// <summary>dx = g where x &gt; 0, else 0 (0 at 0 and at NaN, as PyTorch).</summary>
    public static void Relu(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var xs = new Vector<float>(x[i..]);
            Vector.ConditionalSelect(Vector.GreaterThan(xs, Vector<float>.Zero), new Vector<float>(g[i..]), Vector<float>.Zero).CopyTo(dx[i..]);
        }
        for (; i < x.Length; i++)
        {
            dx[i] = x[i] > 0f ? g[i] : 0f;
        }
    }

    /// <summary>dx = g·(1 − y²), given tanh's output y.</summary>
    public static void Tanh(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var ys = new Vector<float>(y[i..]);
            (new Vector<float>(g[i..]) * (Vector<float>.One - ys * ys)).CopyTo(dx[i..]);
        }
        for (; i < y.Length; i++)
        {
            dx[i] = g[i] * (1f - y[i] * y[i]);
        }
    }

    /// <summary>dx = g·y·(1 − y), given the sigmoid's output y.</summary>
    public static void Sigmoid(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var ys = new Vector<float>(y[i..]);
            (new Vector<float>(g[i..]) * ys * (Vector<float>.One - ys)).CopyTo(dx[i..]);
        }
        for (; i < y.Length; i++)
        {
            dx[i] = g[i] * y[i] * (1f - y[i]);
        }
    }
}
