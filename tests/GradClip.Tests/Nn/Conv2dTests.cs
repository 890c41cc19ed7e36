using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class Conv2dTests
{
    [Fact]
    public void Weight_is_out_by_in_by_kernel_squared_within_one_over_sqrt_fan_in()
    {
        var conv = new Conv2d(4, 3, 2, new Random(1), padding: 1);

        Assert.Equal([3, 4, 2, 2], conv.Weight.Shape);
        Assert.Equal([3], conv.Bias.Shape);
        Assert.All(conv.Weight.ToArray(), w => Assert.InRange(w, -0.25f, 0.25f));
        Assert.Equal([2, 3, 6, 6], conv.Forward(Tensor.Zeros(2, 4, 5, 5)).Shape);
    }
}
