using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorElementwiseTests
{
    public static TheoryData<int[], int[]> BroadcastCases => new()
    {
        { [2, 3], [2, 3] },
        { [2, 3], [] },
        { [], [2, 3] },
        { [2, 3], [1] },
        { [2, 3], [3] },
        { [3], [2, 3] },
        { [2, 3], [2, 1] },
        { [2, 1], [1, 3] },
        { [2, 1, 3], [4, 1] },
        { [4, 1], [2, 1, 3] },
    };

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Add_gradients_match_finite_differences_with_broadcasting(int[] a, int[] b) =>
        GradCheck.AssertGradients(t => t[0] + t[1], GradCheck.Uniform(1, -1, 1, a), GradCheck.Uniform(2, -1, 1, b));

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Sub_gradients_match_finite_differences_with_broadcasting(int[] a, int[] b) =>
        GradCheck.AssertGradients(t => t[0] - t[1], GradCheck.Uniform(3, -1, 1, a), GradCheck.Uniform(4, -1, 1, b));

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Mul_gradients_match_finite_differences_with_broadcasting(int[] a, int[] b) =>
        GradCheck.AssertGradients(t => t[0] * t[1], GradCheck.Uniform(5, -1, 1, a), GradCheck.Uniform(6, -1, 1, b));

    [Theory]
    [MemberData(nameof(BroadcastCases))]
    public void Div_gradients_match_finite_differences_with_broadcasting(int[] a, int[] b) =>
        GradCheck.AssertGradients(t => t[0] / t[1], GradCheck.Uniform(7, -1, 1, a), GradCheck.AwayFromZero(8, b));

    [Fact]
    public void Abs_backward_passes_NaN_through_instead_of_throwing()
    {
        var x = Tensor.FromArray([float.NaN, -2, 0, 3]);
        x.RequiresGrad = true;

        x.Abs().Sum().Backward();

        var g = x.Grad!.ToArray();
        Assert.True(float.IsNaN(g[0]));
        Assert.Equal([-1f, 0, 1], g[1..]);
    }

    [Fact]
    public void Pow_zero_has_a_zero_gradient_even_at_zero()
    {
        var x = Tensor.FromArray([0f, 2]);
        x.RequiresGrad = true;

        x.Pow(0).Sum().Backward();

        Assert.Equal([1f, 1], x.Pow(0).ToArray());
        Assert.Equal([0f, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void Broadcast_forward_values_follow_numpy_rules()
    {
        var column = Tensor.FromArray([1, 2], 2, 1);
        var row = Tensor.FromArray([10, 20, 30], 3);

        Tensor sum = column + row;

        Assert.Equal([2, 3], sum.Shape);
        Assert.Equal([11f, 21, 31, 12, 22, 32], sum.ToArray());
    }

    [Fact]
    public void Incompatible_shapes_name_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));

        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void Scalar_operators_compute_the_expected_values()
    {
        var x = Tensor.FromArray([1, 2, 4]);

        Assert.Equal([3f, 4, 6], (x + 2f).ToArray());
        Assert.Equal([3f, 4, 6], (2f + x).ToArray());
        Assert.Equal([-1f, 0, 2], (x - 2f).ToArray());
        Assert.Equal([1f, 0, -2], (2f - x).ToArray());
        Assert.Equal([3f, 6, 12], (x * 3f).ToArray());
        Assert.Equal([3f, 6, 12], (3f * x).ToArray());
        Assert.Equal([0.5f, 1, 2], (x / 2f).ToArray());
        Assert.Equal([4f, 2, 1], (4f / x).ToArray());
        Assert.Equal([-1f, -2, -4], (-x).ToArray());
    }

    [Fact]
    public void Scalar_operator_gradients_match_finite_differences() =>
        GradCheck.AssertGradients(t => (2f - t[0]) * 3f + 1.5f / t[0] - t[0] / 4f + (t[0] - 1f), GradCheck.Uniform(9, 0.5f, 2f, 2, 3));

    [Fact]
    public void Exp_and_Log_gradients_match_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Exp(), GradCheck.Uniform(10, -2, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Log(), GradCheck.Uniform(11, 0.5f, 3, 3, 4));
    }

    [Fact]
    public void Sqrt_and_Pow_gradients_match_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Sqrt(), GradCheck.Uniform(12, 0.5f, 3, 3, 4));
        GradCheck.AssertGradients(t => t[0].Pow(3f), GradCheck.Uniform(13, -1.5f, 1.5f, 3, 4));
        GradCheck.AssertGradients(t => t[0].Pow(-1.5f), GradCheck.Uniform(14, 0.5f, 2, 3, 4));
    }

    [Fact]
    public void Abs_and_Relu_gradients_match_finite_differences_away_from_zero()
    {
        GradCheck.AssertGradients(t => t[0].Abs(), GradCheck.AwayFromZero(15, 3, 4));
        GradCheck.AssertGradients(t => t[0].Relu(), GradCheck.AwayFromZero(16, 3, 4));
    }

    [Fact]
    public void Abs_and_Relu_have_zero_gradient_at_zero()
    {
        var x = Tensor.Zeros(2);
        x.RequiresGrad = true;

        (x.Abs() + x.Relu()).Sum().Backward();

        Assert.Equal([0f, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void Tanh_Sigmoid_and_Gelu_gradients_match_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Tanh(), GradCheck.Uniform(17, -2, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Sigmoid(), GradCheck.Uniform(18, -3, 3, 3, 4));
        GradCheck.AssertGradients(t => t[0].Gelu(), GradCheck.Uniform(19, -3, 3, 3, 4));
    }

    [Fact]
    public void Gelu_matches_the_erf_form_by_hand()
    {
        // x·Φ(x) with Φ(1) = 0.8413447461, Φ(0.5) = 0.6914624613, Φ(-2) = 0.0227501319.
        Tensor y = Tensor.FromArray([1f, -1f, 0.5f, -2f, 0f]).Gelu();

        float[] expected = [0.8413447f, -0.1586553f, 0.3457312f, -0.0455003f, 0f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-6f);
        }
    }

    [Fact]
    public void Activations_compute_the_expected_values()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f]);

        Assert.Equal([0f, 0, 2], x.Relu().ToArray());
        Assert.Equal(1f / (1f + MathF.Exp(1f)), x.Sigmoid()[0], 1e-6f);
        Assert.Equal(MathF.Tanh(2f), x.Tanh()[2], 1e-6f);
        Assert.Equal([1f, 0, 2], x.Abs().ToArray());
    }
}
