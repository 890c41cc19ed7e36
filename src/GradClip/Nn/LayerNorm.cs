using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Layer normalization over the last axis with a learned scale and shift (weight ones, bias zeros, as PyTorch).
/// Shapes: input (*, normalizedSize) → the same shape.
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer for a last axis of <paramref name="normalizedSize"/>, adding <paramref name="eps"/> to the variance.</summary>
    public LayerNorm(int normalizedSize, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(normalizedSize);
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(normalizedSize));
        Bias = RegisterParameter("bias", Tensor.Zeros(normalizedSize));
    }

    /// <summary>The value added to the variance before the square root.</summary>
    public float Eps { get; }

    /// <summary>The scale, (normalizedSize).</summary>
    public Tensor Weight { get; }

    /// <summary>The shift, (normalizedSize).</summary>
    public Tensor Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LayerNorm(Weight, Bias, Eps);
}
