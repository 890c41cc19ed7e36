using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Max pooling over non-overlapping square windows, as PyTorch's <c>nn.MaxPool2d(k)</c> (stride k): (batch, channels,
/// height, width) → (batch, channels, height / k, width / k).
/// </summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer over <paramref name="kernelSize"/>×<paramref name="kernelSize"/> windows.</summary>
    public MaxPool2d(int kernelSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        KernelSize = kernelSize;
    }

    /// <summary>The side of each window, which is also the stride.</summary>
    public int KernelSize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.MaxPool2d(KernelSize);
}
