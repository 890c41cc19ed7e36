using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Nn;

public class SequentialTests
{
    [Fact]
    public void Applies_layers_in_order_and_names_them_by_index()
    {
        var model = new Sequential(new Linear(2, 4, new Random(1)), new Tanh(), new Linear(4, 3, new Random(2)));

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Tensor x = GradCheck.Uniform(3, -1, 1, 5, 2);
        Tensor expected = model.Layers[2].Forward(model.Layers[0].Forward(x).Tanh());
        Assert.Equal(expected.ToArray(), model.Forward(x).ToArray());
    }

    [Fact]
    public void Gradients_through_an_MLP_match_finite_differences()
    {
        var model = new Sequential(new Linear(3, 5, new Random(1)), new Sigmoid(), new Linear(5, 2, new Random(2)), new GELU());
        Tensor x = GradCheck.Uniform(3, -1, 1, 4, 3);

        GradCheck.AssertGradients(() => model.Forward(x), [x, .. model.Parameters()]);
    }
}
