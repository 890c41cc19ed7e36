using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class GELUTests
{
    [Fact]
    public void Forward_is_the_exact_Gelu_op() =>
        Assert.Equal(0.8413447f, new GELU().Forward(Tensor.FromArray([1f]))[0], 1e-6f);
}
