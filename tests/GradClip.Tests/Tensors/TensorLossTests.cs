using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorLossTests
{
    [Fact]
    public void Cross_entropy_is_finite_when_another_class_has_a_minus_infinity_logit()
    {
        var logits = Tensor.FromArray([3, float.NegativeInfinity, 1, 2], 2, 2);
        logits.RequiresGrad = true;

        var loss = Tensor.CrossEntropy(logits, [0, 1]);
        loss.Backward();

        double second = Math.Log(1 + Math.Exp(1 - 2.0));
        Assert.Equal(second / 2, loss.Item(), 5);
        Assert.All(logits.Grad!.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void CrossEntropy_matches_a_hand_computation()
    {
        var logits = Tensor.FromArray([1, 2, 3, 1, 1, 1], 2, 3);

        Tensor perSample = Tensor.CrossEntropy(logits, [2, 0], Reduction.None);

        double first = -Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        double second = Math.Log(3);
        Assert.Equal(first, perSample[0], 1e-5);
        Assert.Equal(second, perSample[1], 1e-5);
        Assert.Equal((first + second) / 2, Tensor.CrossEntropy(logits, [2, 0]).Item(), 1e-5);
        Assert.Equal(first + second, Tensor.CrossEntropy(logits, [2, 0], Reduction.Sum).Item(), 1e-5);
    }

    [Fact]
    public void CrossEntropy_is_stable_for_huge_logits()
    {
        var logits = Tensor.FromArray([1000, 0, -1000], 1, 3);

        Assert.Equal(1000f, Tensor.CrossEntropy(logits, [1]).Item(), 1e-3f);
    }

    [Fact]
    public void CrossEntropy_gradient_is_softmax_minus_one_hot_over_n()
    {
        var logits = Tensor.FromArray([1, 2, 3], 1, 3);
        logits.RequiresGrad = true;

        Tensor.CrossEntropy(logits, [0]).Backward();

        Tensor softmax = Tensor.FromArray([1, 2, 3], 1, 3).Softmax(1);
        Assert.Equal(softmax[0] - 1, logits.Grad![0], 1e-6f);
        Assert.Equal(softmax[2], logits.Grad[2], 1e-6f);
        GradCheck.AssertGradients(t => Tensor.CrossEntropy(t[0], [1, 0, 2, 2]), GradCheck.Uniform(1, -2, 2, 4, 3));
    }

    [Fact]
    public void CrossEntropy_rejects_a_label_that_is_not_a_class()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.CrossEntropy(Tensor.Zeros(1, 3), [3]));
    }

    [Fact]
    public void MseLoss_matches_a_hand_computation_and_its_gradient()
    {
        var x = Tensor.FromArray([1, 2, 3]);
        var y = Tensor.FromArray([1, 0, 0]);

        Assert.Equal(13f / 3, Tensor.MseLoss(x, y).Item(), 1e-6f);
        Assert.Equal(13f, Tensor.MseLoss(x, y, Reduction.Sum).Item(), 1e-6f);
        GradCheck.AssertGradients(t => Tensor.MseLoss(t[0], t[1]), GradCheck.Uniform(2, -1, 1, 2, 3), GradCheck.Uniform(3, -1, 1, 2, 3));
    }

    [Fact]
    public void MseLoss_over_several_blocks_matches_a_sum_in_double_and_its_gradient()
    {
        Tensor x = GradCheck.Uniform(4, -2, 2, 3, 1001);
        Tensor y = GradCheck.Uniform(5, -2, 2, 3, 1001);
        x.RequiresGrad = true;
        double expected = Enumerable.Range(0, x.Count).Sum(i => Math.Pow((double)x[i] - y[i], 2));

        Tensor mean = Tensor.MseLoss(x, y);
        mean.Backward();

        Assert.Equal(expected / x.Count, mean.Item(), 1e-6 * expected / x.Count);
        Assert.Equal(expected, Tensor.MseLoss(x, y, Reduction.Sum).Item(), 1e-6 * expected);
        for (int i = 0; i < x.Count; i += 97)
        {
            Assert.Equal(2 * (x[i] - y[i]) / x.Count, x.Grad![i], 1e-9);
        }
        Assert.Equal([3, 1001], Tensor.MseLoss(x, y, Reduction.None).Shape);
    }

    [Fact]
    public void MseLoss_with_different_shapes_names_both()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.MseLoss(Tensor.Zeros(3), Tensor.Zeros(3, 1)));

        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[3, 1]", ex.Message);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_is_stable_and_matches_the_definition()
    {
        var logits = Tensor.FromArray([0, 2, -3, 100, -100]);
        var targets = Tensor.FromArray([1, 0, 1, 1, 1]);

        Tensor losses = Tensor.BinaryCrossEntropyWithLogits(logits, targets, Reduction.None);

        Assert.Equal(Math.Log(2), losses[0], 1e-6);
        Assert.Equal(-Math.Log(1 - 1 / (1 + Math.Exp(-2))), losses[1], 1e-5);
        Assert.Equal(-Math.Log(1 / (1 + Math.Exp(3))), losses[2], 1e-5);
        Assert.Equal(0, losses[3], 1e-6);
        Assert.Equal(100, losses[4], 1e-4);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogits_gradients_match_finite_differences_and_are_exact_at_zero()
    {
        GradCheck.AssertGradients(
            t => Tensor.BinaryCrossEntropyWithLogits(t[0], t[1]),
            GradCheck.Uniform(4, -3, 3, 2, 3), GradCheck.Uniform(5, 0, 1, 2, 3));
        var x = Tensor.Zeros(1);
        x.RequiresGrad = true;
        Tensor.BinaryCrossEntropyWithLogits(x, Tensor.Ones(1)).Backward();
        Assert.Equal(-0.5f, x.Grad![0]);
    }
}
