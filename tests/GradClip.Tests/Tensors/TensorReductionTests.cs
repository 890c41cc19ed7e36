using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorReductionTests
{
    private static readonly Tensor Matrix = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

    [Fact]
    public void Sum_over_an_axis_with_and_without_keepDim()
    {
        Assert.Equal([5f, 7, 9], Matrix.Sum(0).ToArray());
        Assert.Equal([3], Matrix.Sum(0).Shape);
        Assert.Equal([2, 1], Matrix.Sum(1, keepDim: true).Shape);
        Assert.Equal([6f, 15], Matrix.Sum(-1).ToArray());
        Assert.Equal(21f, Matrix.Sum().Item());
        Assert.Empty(Matrix.Sum().Shape);
    }

    [Fact]
    public void Mean_Max_and_Var_compute_the_expected_values()
    {
        Assert.Equal([2.5f, 3.5f, 4.5f], Matrix.Mean(0).ToArray());
        Assert.Equal(3.5f, Matrix.Mean().Item());
        Assert.Equal([3f, 6], Matrix.Max(1).ToArray());
        Assert.Equal(6f, Matrix.Max().Item());
        Assert.Equal([1f, 1], Matrix.Var(1).ToArray());
        Assert.Equal([2f / 3, 2f / 3], Matrix.Var(1, unbiased: false).ToArray());
        Assert.Equal(3.5f, Matrix.Var().Item(), 1e-6f);
    }

    [Fact]
    public void ArgMax_gives_the_first_maximum_per_row()
    {
        var t = Tensor.FromArray([1, 5, 5, 7, 0, 2], 2, 3);

        Assert.Equal([1, 0], t.ArgMax(1));
        Assert.Equal([1, 0, 0], t.ArgMax(0));
    }

    [Fact]
    public void Max_propagates_NaN()
    {
        var t = Tensor.FromArray([1, float.NaN, 3]);

        Assert.True(float.IsNaN(t.Max().Item()));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(-1, true)]
    public void Sum_Mean_and_Var_gradients_match_finite_differences(int axis, bool keepDim)
    {
        GradCheck.AssertGradients(t => t[0].Sum(axis, keepDim), GradCheck.Uniform(1, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Mean(axis, keepDim), GradCheck.Uniform(2, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Var(axis, unbiased: true, keepDim), GradCheck.Uniform(3, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Var(axis, unbiased: false, keepDim), GradCheck.Uniform(4, -1, 1, 2, 3, 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Max_gradient_goes_to_the_arg_max(int axis) =>
        GradCheck.AssertGradients(t => t[0].Max(axis), GradCheck.Distinct(5, 2, 3, 4));

    [Fact]
    public void Whole_tensor_reductions_have_gradients_matching_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Sum(), GradCheck.Uniform(6, -1, 1, 3, 2));
        GradCheck.AssertGradients(t => t[0].Mean(), GradCheck.Uniform(7, -1, 1, 3, 2));
        GradCheck.AssertGradients(t => t[0].Max(), GradCheck.Distinct(8, 3, 2));
        GradCheck.AssertGradients(t => t[0].Var(), GradCheck.Uniform(9, -1, 1, 3, 2));
    }

    [Fact]
    public void An_axis_out_of_range_is_rejected_with_the_shape()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Matrix.Sum(2));

        Assert.Contains("[2, 3]", ex.Message);
    }
}
