using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorMaskingTests
{
    [Fact]
    public void Where_picks_by_a_broadcast_condition_and_sends_each_gradient_to_its_side()
    {
        Tensor condition = Tensor.FromArray([1f, 0f, 1f], 3);
        Tensor x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Tensor y = Tensor.FromArray([-1f], 1);
        x.RequiresGrad = true;
        y.RequiresGrad = true;

        Tensor result = Tensor.Where(condition, x, y);
        result.Backward(Tensor.Full(2f, 2, 3));

        Assert.Equal([1f, -1f, 3f, 4f, -1f, 6f], result.ToArray());
        Assert.Equal([2f, 0f, 2f, 2f, 0f, 2f], x.Grad!.ToArray());
        Assert.Equal([4f], y.Grad!.ToArray());
    }

    [Fact]
    public void Where_gradients_match_finite_differences()
    {
        Tensor condition = Tensor.FromArray([0f, 1f, 1f, 0f], 2, 2);
        Tensor x = GradCheck.Uniform(1, -1, 1, 2, 2);
        Tensor y = GradCheck.Uniform(2, -1, 1, 2, 2);

        GradCheck.AssertGradients(() => Tensor.Where(condition, x, y).Mul(Tensor.Where(condition, y, x)), [x, y]);
    }

    [Fact]
    public void Triu_keeps_the_diagonal_and_above_as_PyTorch()
    {
        Tensor x = Tensor.FromArray([.. Enumerable.Range(1, 9).Select(i => (float)i)], 3, 3);

        Assert.Equal([1f, 2f, 3f, 0f, 5f, 6f, 0f, 0f, 9f], x.Triu().ToArray());
        Assert.Equal([0f, 2f, 3f, 0f, 0f, 6f, 0f, 0f, 0f], x.Triu(1).ToArray());
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 0f, 8f, 9f], x.Triu(-1).ToArray());
    }

    [Fact]
    public void A_causal_mask_from_triu_and_masked_fill_gives_the_fused_causal_softmax()
    {
        Tensor scores = GradCheck.Uniform(3, -2, 2, 2, 5, 5);
        Tensor mask = Tensor.Ones(5, 5).Triu(1);

        Tensor composed = scores.MaskedFill(mask, float.NegativeInfinity).Softmax(-1);
        Tensor fused = scores.LastAxisSoftmax(causal: true);

        for (int i = 0; i < fused.Count; i++)
        {
            Assert.Equal(fused[i], composed[i], 1e-6f);
        }
    }

    [Fact]
    public void MaskedFill_refuses_a_mask_that_does_not_broadcast()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MaskedFill(Tensor.Zeros(2), 1f));

        Assert.Contains("[2]", error.Message, StringComparison.Ordinal);
    }
}
