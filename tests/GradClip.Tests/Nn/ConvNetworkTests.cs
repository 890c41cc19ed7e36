using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class ConvNetworkTests
{
    [Fact]
    public void Maps_flat_images_to_class_scores_through_named_stages()
    {
        var network = new ConvNetwork(8, [2, 3], 2, 4, new Random(1));

        Assert.Equal([3, 4], network.Forward(Tensor.Zeros(3, 64)).Shape);
        Assert.Equal(
            ["features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias", "features.5.weight", "features.5.bias",
             "features.7.weight", "features.7.bias", "head.weight", "head.bias"],
            network.NamedParameters().Select(p => p.Name));
        Assert.Equal([4, 3 * 2 * 2], network.NamedParameters()[^2].Parameter.Shape);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var network = new ConvNetwork(4, [2], 1, 2, new Random(2));
        Tensor x = GradCheck.Uniform(3, -1, 1, 2, 16);

        GradCheck.AssertGradients(() => network.Forward(x), [x, .. network.Parameters()], h: 1e-3f, atol: 2e-3);
    }

    [Fact]
    public void Refuses_a_side_that_the_stages_cannot_halve()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvNetwork(6, [2, 2], 1, 2, new Random(1)));
    }
}
