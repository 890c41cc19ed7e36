using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// y = x·Wᵀ + b. Shapes: input (*, inFeatures) → output (*, outFeatures); weight (outFeatures, inFeatures) as PyTorch,
/// bias (outFeatures). Both initialized U(−1/√inFeatures, 1/√inFeatures), PyTorch's default (Kaiming-uniform, a = √5).
/// </summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer, drawing the weight then the bias from <paramref name="random"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, outFeatures, inFeatures));
        Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, outFeatures));
    }

    /// <summary>The weight, (outFeatures, inFeatures).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, (outFeatures).</summary>
    public Tensor Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}
