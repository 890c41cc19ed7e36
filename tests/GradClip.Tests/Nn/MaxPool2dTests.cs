using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Nn;

public class MaxPool2dTests
{
    [Fact]
    public void Halves_each_side_with_a_window_of_two()
    {
        Tensor x = Tensor.FromArray([.. Enumerable.Range(0, 16).Select(i => (float)i)], 1, 1, 4, 4);

        Assert.Equal([5f, 7, 13, 15], new MaxPool2d(2).Forward(x).ToArray());
    }
}
