using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A 2-D convolution over square kernels, as PyTorch's <c>nn.Conv2d</c>: input (batch, inChannels, height, width) →
/// (batch, outChannels, outHeight, outWidth); weight (outChannels, inChannels, kernel, kernel) and bias (outChannels), both
/// initialized U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels·kernel², PyTorch's default. Runs as im2col and one GEMM.
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer, drawing the weight then the bias from <paramref name="random"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, outChannels, inChannels, kernelSize, kernelSize));
        Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, outChannels));
        Stride = stride;
        Padding = padding;
    }

    /// <summary>The weight, (outChannels, inChannels, kernel, kernel).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, (outChannels).</summary>
    public Tensor Bias { get; }

    /// <summary>The step between windows, in pixels.</summary>
    public int Stride { get; }

    /// <summary>The zeros added on every side of the input.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding);
}
