using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>Element-wise 1 / (1 + e^−x); any shape in, the same shape out.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
