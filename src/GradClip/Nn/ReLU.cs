using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>Element-wise max(x, 0); any shape in, the same shape out.</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}
