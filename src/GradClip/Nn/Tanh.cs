using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>Element-wise tanh(x); any shape in, the same shape out.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
