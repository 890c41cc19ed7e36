using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>Element-wise x·Φ(x), exact erf form (PyTorch's default); any shape in, the same shape out.</summary>
public sealed class GELU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Gelu();
}
