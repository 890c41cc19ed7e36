using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorConvolutionTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    public void Conv2d_matches_the_defining_sum(int stride, int padding)
    {
        Tensor x = GradCheck.Uniform(1, -1, 1, 2, 3, 6, 5);
        Tensor w = GradCheck.Uniform(2, -1, 1, 4, 3, 3, 3);
        Tensor b = GradCheck.Uniform(3, -1, 1, 4);

        Tensor y = Tensor.Conv2d(x, w, b, stride, padding);

        Tensor expected = DirectConvolution(x, w, b, stride, padding);
        Assert.Equal(expected.Shape, y.Shape);
        for (int i = 0; i < y.Count; i++)
        {
            Assert.Equal(expected[i], y[i], 4);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void Conv2d_gradients_match_finite_differences(int stride, int padding)
    {
        Tensor x = GradCheck.Uniform(4, -1, 1, 2, 2, 5, 5);
        Tensor w = GradCheck.Uniform(5, -1, 1, 3, 2, 3, 3);
        Tensor b = GradCheck.Uniform(6, -1, 1, 3);

        GradCheck.AssertGradients(inputs => Tensor.Conv2d(inputs[0], inputs[1], inputs[2], stride, padding), x, w, b);
    }

    [Fact]
    public void Im2Col_lays_each_window_out_as_a_row_with_zeros_over_the_padding()
    {
        Tensor x = Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2);

        Tensor columns = x.Im2Col(kernel: 2, stride: 1, padding: 1);

        Assert.Equal([9, 4], columns.Shape);
        Assert.Equal([0, 0, 0, 1], columns.ToArray()[..4]);
        Assert.Equal([1, 2, 3, 4], columns.ToArray()[16..20]);
        Assert.Equal([4, 0, 0, 0], columns.ToArray()[32..]);
    }

    [Fact]
    public void MaxPool2d_takes_each_windows_maximum_and_drops_the_ragged_edge()
    {
        Tensor x = Tensor.FromArray([1, 5, 2, 0, 3, 4, 9, 1, 8, 7, 6, 2, 2, 2, 2], 1, 1, 3, 5);

        Tensor y = x.MaxPool2d(2);

        Assert.Equal([1, 1, 1, 2], y.Shape);
        Assert.Equal([9, 8], y.ToArray());
    }

    [Fact]
    public void MaxPool2d_gradients_match_finite_differences()
    {
        Tensor x = GradCheck.Distinct(7, 2, 3, 4, 6);

        GradCheck.AssertGradients(inputs => inputs[0].MaxPool2d(2), x);
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_input_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 5, 5), null, padding: 1));

        Assert.Contains("5×5 kernel", ex.Message);
    }

    private static Tensor DirectConvolution(Tensor x, Tensor w, Tensor b, int stride, int padding)
    {
        int batch = x.Shape[0], channels = x.Shape[1], height = x.Shape[2], width = x.Shape[3];
        int outChannels = w.Shape[0], kernel = w.Shape[2];
        int outHeight = (height + 2 * padding - kernel) / stride + 1;
        int outWidth = (width + 2 * padding - kernel) / stride + 1;
        Tensor y = Tensor.Zeros(batch, outChannels, outHeight, outWidth);
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < outChannels; o++)
        for (int oy = 0; oy < outHeight; oy++)
        for (int ox = 0; ox < outWidth; ox++)
        {
            double sum = b[o];
            for (int c = 0; c < channels; c++)
            for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++)
            {
                int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                {
                    sum += (double)x[((n * channels + c) * height + iy) * width + ix] * w[((o * channels + c) * kernel + ky) * kernel + kx];
                }
            }
            y[((n * outChannels + o) * outHeight + oy) * outWidth + ox] = (float)sum;
        }
        return y;
    }
}
