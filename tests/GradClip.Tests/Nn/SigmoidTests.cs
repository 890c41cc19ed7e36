using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class SigmoidTests
{
    [Fact]
    public void Forward_is_the_Sigmoid_op() =>
        Assert.Equal(0.5f, new Sigmoid().Forward(Tensor.FromArray([0f]))[0]);
}
