using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void Drops_in_training_and_is_the_identity_in_eval()
    {
        var dropout = new Dropout(0.5f, new Generator(5));
        Tensor x = Tensor.Ones(100);

        Tensor trained = dropout.Forward(x);
        dropout.Eval();

        Assert.Contains(0f, trained.ToArray());
        Assert.Contains(2f, trained.ToArray());
        Assert.Same(x, dropout.Forward(x));
    }

    [Fact]
    public void The_gradient_flows_through_the_kept_elements_only()
    {
        var dropout = new Dropout(0.5f, new Generator(5));
        Tensor x = Tensor.Ones(50);
        x.RequiresGrad = true;

        Tensor y = dropout.Forward(x);
        y.Sum().Backward();

        Assert.Equal(y.ToArray(), x.Grad!.ToArray());
    }
}
