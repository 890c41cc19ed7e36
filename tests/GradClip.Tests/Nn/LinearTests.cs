using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void Weight_is_out_by_in_and_initialized_within_one_over_sqrt_fan_in()
    {
        var linear = new Linear(16, 4, new Random(3));

        Assert.Equal([4, 16], linear.Weight.Shape);
        Assert.Equal([4], linear.Bias.Shape);
        Assert.All(linear.Weight.ToArray(), w => Assert.InRange(w, -0.25f, 0.25f));
        Assert.All(linear.Bias.ToArray(), b => Assert.InRange(b, -0.25f, 0.25f));
        Assert.True(linear.Weight.ToArray().Max() > 0.2f);
    }

    [Fact]
    public void Forward_maps_the_last_axis()
    {
        var linear = new Linear(3, 2, new Random(3));

        Assert.Equal([5, 2], linear.Forward(Tensor.Zeros(5, 3)).Shape);
        Assert.Equal([2, 5, 2], linear.Forward(Tensor.Zeros(2, 5, 3)).Shape);
        Assert.Equal(linear.Bias.ToArray(), linear.Forward(Tensor.Zeros(1, 3)).ToArray());
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var linear = new Linear(3, 2, new Random(3));
        Tensor x = GradCheck.Uniform(1, -1, 1, 4, 3);

        GradCheck.AssertGradients(() => linear.Forward(x), [x, .. linear.Parameters()]);
    }
}
