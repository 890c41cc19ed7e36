using System.Numerics.Tensors;

namespace GradClip.Kernels;

/// <summary>
/// Softmax and log-softmax over each row of a row-major matrix in one pass per row, and their backward rules. With a
/// causal mask the matrix is a stack of square blocks, and row i of each block keeps its columns 0..i only: the masked
/// columns get probability 0 (−∞ before the softmax) without a mask tensor ever being built.
/// </summary>
internal static class SoftmaxRows
{
    /// <summary>y = softmax(x) per row of <paramref name="columns"/>; <paramref name="causal"/> masks the columns after each row's index in its square block.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int columns, bool causal)
    {
        for (int row = 0; row * columns < x.Length; row++)
        {
            int kept = Kept(row, columns, causal);
            ReadOnlySpan<float> xs = x.Slice(row * columns, kept);
            Span<float> ys = y.Slice(row * columns, kept);
            float max = TensorPrimitives.Max(xs);
            TensorPrimitives.Subtract(xs, max, ys);
            TensorPrimitives.Exp(ys, ys);
            TensorPrimitives.Multiply(ys, 1f / TensorPrimitives.Sum(ys), ys);
            y.Slice(row * columns + kept, columns - kept).Clear();
        }
    }

    /// <summary>dx = y ⊙ (g − Σ g⊙y) per row, the softmax's backward given its output <paramref name="y"/>.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, int columns)
    {
        for (int start = 0; start < y.Length; start += columns)
        {
            ReadOnlySpan<float> ys = y.Slice(start, columns);
            Span<float> dxs = dx.Slice(start, columns);
            TensorPrimitives.Subtract(g.Slice(start, columns), TensorPrimitives.Dot(g.Slice(start, columns), ys), dxs);
            TensorPrimitives.Multiply(dxs, ys, dxs);
        }
    }

    /// <summary>y = x − max − log Σ e^(x − max) per row of <paramref name="columns"/>.</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int columns)
    {
        Span<float> exps = columns <= 1024 ? stackalloc float[columns] : new float[columns];
        for (int start = 0; start < x.Length; start += columns)
        {
            ReadOnlySpan<float> xs = x.Slice(start, columns);
            Span<float> ys = y.Slice(start, columns);
            float max = TensorPrimitives.Max(xs);
            TensorPrimitives.Subtract(xs, max, ys);
            TensorPrimitives.Exp(ys, exps);
            TensorPrimitives.Subtract(ys, MathF.Log(TensorPrimitives.Sum(exps)), ys);
        }
    }

    /// <summary>dx = g − e^y · Σ g per row, the log-softmax's backward given its output <paramref name="y"/>.</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, int columns)
    {
        for (int start = 0; start < y.Length; start += columns)
        {
            Span<float> dxs = dx.Slice(start, columns);
            ReadOnlySpan<float> gs = g.Slice(start, columns);
            float sum = TensorPrimitives.Sum(gs);
            TensorPrimitives.Exp(y.Slice(start, columns), dxs);
            TensorPrimitives.MultiplyAdd(dxs, -sum, gs, dxs);
        }
    }

    /// <summary>How many leading columns of <paramref name="row"/> the mask keeps: all, or the row's index in its block and those before it.</summary>
    private static int Kept(int row, int columns, bool causal) => causal ? row % columns + 1 : columns;
}
