using GradClip.Adaptive;
using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Tests.Adaptive;

public class AgcTests
{
    /// <summary>A parameter with the given values, shape and gradient.</summary>
    private static Tensor Parameter(string name, float[] weights, float[] gradient, params int[] shape)
    {
        var parameter = Tensor.FromArray(weights, shape);
        parameter.Grad = Tensor.FromArray(gradient, shape);
        parameter.Name = name;
        return parameter;
    }

    [Fact]
    public void Scales_a_weight_row_whose_gradient_exceeds_lambda_times_its_norm_and_leaves_the_other_row()
    {
        // Row 0: ‖W₀‖ = 5, ‖G₀‖ = 0.5 > 0.01·5, scaled by 0.01·5/0.5 = 0.1.
        // Row 1: ‖W₁‖ = 3, ‖G₁‖ = 0.015 ≤ 0.01·3, untouched.
        float[] rowTwo = [0.005f, 0.01f, 0.01f];
        var weight = Parameter("fc.weight", [3, 4, 0, 1, 2, 2], [0.3f, 0.4f, 0, .. rowTwo], 2, 3);

        var report = new Agc().Apply([weight]);

        var g = weight.Grad!.ToArray();
        Reference.Close(0.03, g[0], 1e-7);
        Reference.Close(0.04, g[1], 1e-7);
        Assert.Equal(0, g[2]);
        Assert.Equal(rowTwo, g[3..]);
        double rowTwoSquares = Reference.Norm(rowTwo, 2) * Reference.Norm(rowTwo, 2);
        double before = Math.Sqrt(0.3f * 0.3f + 0.4f * 0.4f + rowTwoSquares);
        double after = Math.Sqrt(0.05 * 0.05 + rowTwoSquares);
        Assert.True(report.Clipped);
        Reference.Close(before, report.NormBefore, 1e-7);
        Reference.Close(after, report.NormAfter, 1e-7);
        Reference.Close(after / before, report.Coefficient, 1e-7);
        Reference.Close(before, report.ParameterNorms["fc.weight"], 1e-7);
        Reference.Close(after, Reference.Norm(g, 2), 1e-6);
    }

    [Fact]
    public void A_zero_weight_row_is_floored_at_epsilon()
    {
        // max(‖W‖, ε) = 1e-3, so the largest gradient norm allowed is 0.01·1e-3 = 1e-5: a norm of 5e-5 is scaled by 0.2.
        var weight = Parameter("w", [0, 0, 0, 0], [3e-5f, 4e-5f, 3e-6f, 4e-6f], 2, 2);

        var report = new Agc().Apply([weight]);

        var g = weight.Grad!.ToArray();
        Reference.Close(6e-6, g[0], 1e-9);
        Reference.Close(8e-6, g[1], 1e-9);
        Assert.Equal([3e-6f, 4e-6f], g[2..]);
        Assert.True(report.Clipped);
    }

    [Fact]
    public void A_bias_is_one_unit_whose_norm_is_that_of_the_whole_vector()
    {
        // Whole vector: ‖W‖ = 10, ‖G‖ = 1 > 0.01·10, scaled by 0.1. Per element, the second entry (weight 0) would
        // instead be cut to 0.01·1e-3.
        var bias = Parameter("fc.bias", [10, 0], [0, 1], 2);

        new Agc().Apply([bias]);

        Reference.Close(0.1, bias.Grad![1], 1e-7);
        Assert.Equal(0, bias.Grad![0]);
    }

    [Fact]
    public void A_tensor_of_rank_three_has_one_unit_per_slice_along_its_first_axis()
    {
        // Unit 0: ‖W₀‖ = 2, ‖G₀‖ = 1 = 0.5·2, not above: untouched. Unit 1: ‖W₁‖ = 2, ‖G₁‖ = 4 > 1: scaled by 0.25.
        var kernel = Parameter("conv.weight", [1, 1, 1, 1, 1, -1, 1, -1], [0.5f, 0.5f, 0.5f, 0.5f, 2, 2, 2, 2], 2, 2, 2);

        new Agc(clipping: 0.5).Apply([kernel]);

        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], kernel.Grad!.ToArray());
    }

    [Fact]
    public void Rows_of_a_Linear_weight_are_its_output_units()
    {
        var linear = new Linear(3, 2, new Random(3));
        linear.Weight.Span.Clear();
        linear.Weight[0] = 1;
        linear.Weight.Grad = Tensor.FromArray([0, 0, 1, 0, 0, 0], 2, 3);

        new Agc().Apply([linear.Weight]);

        // Row 0 (output unit 0) has weight norm 1: its gradient norm 1 is cut to 0.01. Reading columns as units instead
        // would have floored column 2 (all zero weights) at 0.01·1e-3.
        Reference.Close(0.01, linear.Weight.Grad![2], 1e-7);
    }

    [Fact]
    public void Excluded_parameters_pass_unclipped_but_count_in_the_norms()
    {
        var body = Parameter("body.weight", [1, 0], [1, 0], 1, 2);
        var head = Parameter("head.weight", [1, 0], [1, 0], 1, 2);

        var report = new Agc(exclude: name => name.StartsWith("head", StringComparison.Ordinal)).Apply([body, head]);

        Reference.Close(0.01, body.Grad![0], 1e-7);
        Assert.Equal(1, head.Grad![0]);
        Reference.Close(Math.Sqrt(2), report.NormBefore, 1e-12);
        Reference.Close(Math.Sqrt(1 + 1e-4), report.NormAfter, 1e-7);
        Assert.Equal(2, report.ParameterNorms.Count);
    }

    [Fact]
    public void A_unit_exactly_at_the_ratio_is_not_clipped_and_parameters_without_gradients_are_skipped()
    {
        // ‖G‖ = 2.5 = 0.5·‖W‖: the rule scales only above the ratio.
        var weight = Parameter("w", [3, 4], [1.5f, 2], 1, 2);
        var frozen = Tensor.FromArray([1f, 2f]);

        var report = new Agc(clipping: 0.5).Apply([weight, frozen]);

        Assert.False(report.Clipped);
        Assert.Equal(report.NormBefore, report.NormAfter);
        Assert.Equal(1, report.Coefficient);
        Assert.Equal(["w"], report.ParameterNorms.Keys);
        Assert.Equal([1.5f, 2f], weight.Grad!.ToArray());
    }

    [Fact]
    public void A_gradient_unit_holding_nan_is_left_alone_and_reported()
    {
        var weight = Parameter("w", [1, 1, 1, 1], [float.NaN, 1, 5, 0], 2, 2);

        var report = new Agc().Apply([weight]);

        Assert.Equal(1, weight.Grad![1]);
        Reference.Close(0.01 * Math.Sqrt(2), weight.Grad![2], 1e-7);
        Assert.Equal(["w"], report.NonFiniteParameters);
    }

    [Theory]
    [InlineData("clipping", 0, 1e-3)]
    [InlineData("clipping", double.NaN, 1e-3)]
    [InlineData("epsilon", 0.01, -1)]
    [InlineData("epsilon", 0.01, double.PositiveInfinity)]
    public void Rejects_a_clipping_or_epsilon_that_is_not_positive_and_finite(string name, double clipping, double epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Agc(clipping, epsilon));

        Assert.Equal(name, error.ParamName);
        Assert.Equal(name == "clipping" ? clipping : epsilon, error.ActualValue);
    }
}
