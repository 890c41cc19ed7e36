using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorNormalizationTests
{
    [Fact]
    public void Softmax_matches_a_hand_computation_and_sums_to_one()
    {
        Tensor p = Tensor.FromArray([1, 2, 3, 0, 0, 0], 2, 3).Softmax(1);

        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(1) / z, p[0], 1e-6);
        Assert.Equal(Math.Exp(3) / z, p[2], 1e-6);
        Assert.Equal(1f / 3, p[4], 1e-6f);
    }

    [Fact]
    public void Softmax_and_LogSoftmax_are_stable_for_huge_inputs()
    {
        var x = Tensor.FromArray([1000, 1000, -1000]);

        Assert.Equal([0.5f, 0.5f, 0f], x.Softmax(0).ToArray());
        Assert.Equal(-MathF.Log(2), x.LogSoftmax(0)[0], 1e-5f);
        Assert.False(float.IsNaN(x.LogSoftmax(0)[2]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Softmax_and_LogSoftmax_gradients_match_finite_differences(int axis)
    {
        GradCheck.AssertGradients(t => t[0].Softmax(axis), GradCheck.Uniform(1, -2, 2, 3, 2, 4));
        GradCheck.AssertGradients(t => t[0].LogSoftmax(axis), GradCheck.Uniform(2, -2, 2, 3, 2, 4));
    }

    [Fact]
    public void LayerNorm_matches_a_hand_computation()
    {
        var x = Tensor.FromArray([1, 2, 3, 4], 1, 4);
        var weight = Tensor.FromArray([1, 1, 2, 2]);
        var bias = Tensor.FromArray([0, 0, 0, 1]);

        Tensor y = x.LayerNorm(weight, bias);

        // mean 2.5, biased variance 1.25
        double s = Math.Sqrt(1.25 + 1e-5);
        Assert.Equal(-1.5 / s, y[0], 1e-5);
        Assert.Equal(-0.5 / s, y[1], 1e-5);
        Assert.Equal(2 * 0.5 / s, y[2], 1e-5);
        Assert.Equal(2 * 1.5 / s + 1, y[3], 1e-5);
    }

    [Fact]
    public void LayerNorm_gradients_match_finite_differences() =>
        GradCheck.AssertGradients(
            t => t[0].LayerNorm(t[1], t[2]),
            GradCheck.Uniform(3, -2, 2, 2, 3, 5), GradCheck.Uniform(4, 0.5f, 1.5f, 5), GradCheck.Uniform(5, -1, 1, 5));

    [Fact]
    public void Dropout_scales_survivors_and_is_the_identity_in_eval()
    {
        Tensor x = Tensor.Ones(1000);

        Tensor dropped = x.Dropout(0.25f, training: true, new Random(7));

        int zeros = dropped.ToArray().Count(v => v == 0f);
        Assert.InRange(zeros, 200, 300);
        Assert.All(dropped.ToArray(), v => Assert.True(v == 0f || Math.Abs(v - 4f / 3) < 1e-6));
        Assert.Same(x, x.Dropout(0.25f, training: false, new Random(7)));
        Assert.Equal(dropped.ToArray(), x.Dropout(0.25f, training: true, new Random(7)).ToArray());
    }

    [Fact]
    public void Dropout_rejects_a_probability_outside_zero_to_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).Dropout(1.5f, training: true, new Random(1)));
    }
}
