using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch's <c>conv2d</c>): input (batch, inChannels, height, width), weight
    /// (outChannels, inChannels, kernel, kernel), bias (outChannels) → (batch, outChannels, outHeight, outWidth), where
    /// outHeight = (height + 2·padding − kernel) / stride + 1. Computed as <see cref="Im2Col"/> and one matrix product
    /// through the GEMM, so its backward is the GEMM's and col2im's.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 4 || weight._shape[2] != weight._shape[3] || input.Rank != 4 || input._shape[1] != weight._shape[1])
        {
            throw new ArgumentException(
                $"Conv2d needs input (batch, channels, height, width) and a square weight (out, channels, k, k) with the same channels, but got {input.ShapeText} and {weight.ShapeText}.",
                nameof(weight));
        }
        int kernel = weight._shape[2];
        int outChannels = weight._shape[0];
        Tensor columns = input.Im2Col(kernel, stride, padding);
        var (outHeight, outWidth) = ConvolvedSize(input._shape[2], input._shape[3], kernel, stride, padding);
        Tensor product = Linear(columns, weight.Reshape(outChannels, -1), bias);
        return product.Reshape(input._shape[0], outHeight, outWidth, outChannels).Permute(0, 3, 1, 2);
    }

    /// <summary>
    /// The patches a <paramref name="kernel"/>×<paramref name="kernel"/> window sees (im2col, PyTorch's <c>unfold</c> laid out
    /// row per output position): input (batch, channels, height, width) → (batch·outHeight·outWidth, channels·kernel·kernel),
    /// a row per output position in (batch, y, x) order, its columns in (channel, ky, kx) order, zeros where the window
    /// lies over the padding. The backward adds each column back to the pixel it came from (col2im).
    /// </summary>
    public Tensor Im2Col(int kernel, int stride = 1, int padding = 0)
    {
        if (Rank != 4)
        {
            throw new ArgumentException($"Im2Col needs input (batch, channels, height, width), but got {ShapeText}.");
        }
        var geometry = new PatchGeometry(_shape[0], _shape[1], _shape[2], _shape[3], kernel, stride, padding);
        Tensor result = Zeros(geometry.Rows, geometry.RowLength);
        geometry.Gather(Span, result.Span);
        int[] inputShape = _shape;
        return Record(result, Op.Im2Col, [this], g =>
        {
            Tensor gradInput = Zeros(inputShape);
            geometry.Scatter(g.Span, gradInput.Span);
            return [gradInput];
        });
    }

    /// <summary>
    /// Max pooling over non-overlapping <paramref name="kernel"/>×<paramref name="kernel"/> windows (stride = kernel, as
    /// PyTorch's default): (batch, channels, height, width) → (batch, channels, height / kernel, width / kernel), the rows and
    /// columns past the last whole window dropped. The gradient goes to the first maximum of each window.
    /// </summary>
    public Tensor MaxPool2d(int kernel)
    {
        if (Rank != 4 || kernel < 1 || _shape[2] < kernel || _shape[3] < kernel)
        {
            throw new ArgumentException($"MaxPool2d({kernel}) needs input (batch, channels, height, width) of at least {kernel}×{kernel}, but got {ShapeText}.");
        }
        int planes = _shape[0] * _shape[1];
        int height = _shape[2];
        int width = _shape[3];
        int outHeight = height / kernel;
        int outWidth = width / kernel;
        Tensor result = Empty([_shape[0], _shape[1], outHeight, outWidth]);
        int[] winners = new int[result.Count];
        ReadOnlySpan<float> source = Span;
        Span<float> target = result.Span;
        for (int plane = 0, o = 0; plane < planes; plane++)
        {
            for (int y = 0; y < outHeight; y++)
            {
                for (int x = 0; x < outWidth; x++, o++)
                {
                    winners[o] = WindowMaximum(source, plane * height * width, width, y * kernel, x * kernel, kernel);
                    target[o] = source[winners[o]];
                }
            }
        }
        int[] inputShape = _shape;
        return Record(result, Op.MaxPool2d, [this], g =>
        {
            Tensor gradInput = Zeros(inputShape);
            Span<float> gradient = gradInput.Span;
            ReadOnlySpan<float> incoming = g.Span;
            for (int o = 0; o < winners.Length; o++)
            {
                gradient[winners[o]] += incoming[o];
            }
            return [gradInput];
        });
    }

    /// <summary>The output height and width of a convolution; refuses a kernel larger than the padded input.</summary>
    internal static (int Height, int Width) ConvolvedSize(int height, int width, int kernel, int stride, int padding)
    {
        if (kernel < 1 || stride < 1 || padding < 0 || height + 2 * padding < kernel || width + 2 * padding < kernel)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel),
                $"A {kernel}×{kernel} kernel with stride {stride} and padding {padding} does not fit a {height}×{width} input.");
        }
        return ((height + 2 * padding - kernel) / stride + 1, (width + 2 * padding - kernel) / stride + 1);
    }

    /// <summary>The index in <paramref name="source"/> of the first largest element of a window (NaN wins, so that it propagates).</summary>
    private static int WindowMaximum(ReadOnlySpan<float> source, int planeStart, int width, int top, int left, int kernel)
    {
        int best = planeStart + top * width + left;
        for (int dy = 0; dy < kernel; dy++)
        {
            for (int dx = 0; dx < kernel; dx++)
            {
                int at = planeStart + (top + dy) * width + left + dx;
                if (source[at] > source[best] || (float.IsNaN(source[at]) && !float.IsNaN(source[best])))
                {
                    best = at;
                }
            }
        }
        return best;
    }
}
