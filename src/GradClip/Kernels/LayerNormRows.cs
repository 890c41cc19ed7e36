using System.Numerics.Tensors;

namespace GradClip.Kernels;

/// <summary>
/// Layer normalization over each row of a row-major matrix in one pass per row, keeping each row's mean and 1/σ for
/// the backward pass, which computes the input's, the weight's and the bias's gradients together.
/// </summary>
internal static class LayerNormRows
{
    /// <summary>
    /// y = (x − mean)/√(var + eps)·w + b per row of <paramref name="columns"/> (biased variance; w and b may be empty
    /// for none); each row's mean and 1/√(var + eps) go into <paramref name="mean"/> and <paramref name="inverseStd"/>.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        Span<float> mean, Span<float> inverseStd, int columns, float eps)
    {
        for (int row = 0; row < mean.Length; row++)
        {
            ReadOnlySpan<float> xs = x.Slice(row * columns, columns);
            Span<float> ys = y.Slice(row * columns, columns);
            float mu = TensorPrimitives.Sum(xs) / columns;
            TensorPrimitives.Subtract(xs, mu, ys);
            float rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(ys) / columns + eps);
            mean[row] = mu;
            inverseStd[row] = rstd;
            TensorPrimitives.Multiply(ys, rstd, ys);
            if (!weight.IsEmpty)
            {
                TensorPrimitives.Multiply(ys, weight, ys);
            }
            if (!bias.IsEmpty)
            {
                TensorPrimitives.Add(ys, bias, ys);
            }
        }
    }

    /// <summary>
    /// Given the output's gradient <paramref name="g"/>: dx = (1/σ)·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) with ĝ = g⊙w and
    /// x̂ = (x − mean)/σ, into <paramref name="dx"/> (empty for none); dw += Σ_rows g⊙x̂ and db += Σ_rows g, row by row
    /// in order (empty for none).
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> g, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> inverseStd, Span<float> dx, Span<float> dWeight, Span<float> dBias, int columns)
    {
        Span<float> normalized = columns <= 1024 ? stackalloc float[columns] : new float[columns];
        Span<float> scaledGradient = columns <= 1024 ? stackalloc float[columns] : new float[columns];
        for (int row = 0; row < mean.Length; row++)
        {
            ReadOnlySpan<float> gs = g.Slice(row * columns, columns);
            TensorPrimitives.Subtract(x.Slice(row * columns, columns), mean[row], normalized);
            TensorPrimitives.Multiply(normalized, inverseStd[row], normalized);
            if (!dWeight.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(gs, normalized, dWeight, dWeight);
            }
            if (!dBias.IsEmpty)
            {
                TensorPrimitives.Add(dBias, gs, dBias);
            }
            if (dx.IsEmpty)
            {
                continue;
            }
            if (weight.IsEmpty)
            {
                gs.CopyTo(scaledGradient);
            }
            else
            {
                TensorPrimitives.Multiply(gs, weight, scaledGradient);
            }
            float meanGradient = TensorPrimitives.Sum(scaledGradient) / columns;
            float meanProjection = TensorPrimitives.Dot(scaledGradient, normalized) / columns;
            Span<float> dxs = dx.Slice(row * columns, columns);
            TensorPrimitives.MultiplyAdd(normalized, -meanProjection, scaledGradient, dxs);
            TensorPrimitives.Subtract(dxs, meanGradient, dxs);
            TensorPrimitives.Multiply(dxs, inverseStd[row], dxs);
        }
    }
}
