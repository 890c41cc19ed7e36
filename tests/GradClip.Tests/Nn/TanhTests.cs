using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class TanhTests
{
    [Fact]
    public void Forward_is_the_Tanh_op() =>
        Assert.Equal(MathF.Tanh(0.5f), new Tanh().Forward(Tensor.FromArray([0.5f]))[0], 1e-6f);
}
