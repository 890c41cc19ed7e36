using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class ReLUTests
{
    [Fact]
    public void Forward_is_the_Relu_op() =>
        Assert.Equal([0f, 2], new ReLU().Forward(Tensor.FromArray([-1f, 2])).ToArray());
}
