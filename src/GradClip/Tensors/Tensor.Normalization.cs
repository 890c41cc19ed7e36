namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>Numerically stable softmax over <paramref name="axis"/> (composed: exp of <see cref="LogSoftmax"/>).</summary>
    public Tensor Softmax(int axis) => LogSoftmax(axis).Exp();

    /// <summary>Numerically stable log-softmax over <paramref name="axis"/>: x − max − log Σ exp(x − max), the max held constant.</summary>
    public Tensor LogSoftmax(int axis)
    {
        Tensor shifted = Sub(Max(axis, keepDim: true).Detach());
        return shifted.Sub(shifted.Exp().Sum(axis, keepDim: true).Log());
    }

    /// <summary>
    /// Layer normalization over the last axis, as PyTorch: (x − mean) / √(var + eps) · weight + bias with the biased variance.
    /// Shapes: this (*, d), weight and bias (d) or null.
    /// </summary>
    public Tensor LayerNorm(Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        Tensor centered = Sub(Mean(-1, keepDim: true));
        Tensor variance = centered.Mul(centered).Mean(-1, keepDim: true);
        Tensor normalized = centered.Mul(variance.Add(eps).Pow(-0.5f));
        Tensor scaled = weight is null ? normalized : normalized.Mul(weight);
        return bias is null ? scaled : scaled.Add(bias);
    }

    /// <summary>Throws unless <paramref name="p"/> is a probability in [0, 1].</summary>
    internal static void RequireProbability(float p)
    {
        if (!(p >= 0f && p <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p,
                $"Dropout probability {p.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not in [0, 1].");
        }
    }

    /// <summary>
    /// Inverted dropout: in training each element is zeroed with probability <paramref name="p"/> (drawn from
    /// <paramref name="random"/>) and the survivors scaled by 1/(1 − p); outside training the tensor is returned as is.
    /// </summary>
    public Tensor Dropout(float p, bool training, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        RequireProbability(p);
        if (!training || p == 0f)
        {
            return this;
        }
        Tensor mask = Zeros(_shape);
        float scale = p == 1f ? 0f : 1f / (1f - p);
        Span<float> keep = mask.Span;
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = random.NextDouble() < p ? 0f : scale;
        }
        return Mul(mask);
    }
}
