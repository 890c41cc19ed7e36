using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Tests.Clipping;

public class ClipByGlobalNormTests
{
    [Fact]
    public void Reports_norms_before_and_after_the_coefficient_and_per_parameter_norms()
    {
        var w = Reference.Parameter([3, 4], "fc.weight");
        var b = Reference.Parameter([12], "fc.bias");
        var none = Tensor.Zeros(1);

        var report = new ClipByGlobalNorm(5).Apply([w, none, b]);

        Assert.Equal(13, report.NormBefore, 12);
        double coefficient = 5 / (13 + 1e-6);
        Assert.Equal(coefficient, report.Coefficient, 12);
        Assert.Equal(13 * coefficient, report.NormAfter, 12);
        Reference.Close(report.NormAfter, Reference.TotalNorm([w.Grad!.ToArray(), b.Grad!.ToArray()], 2), 1e-6);
        Assert.True(report.Clipped);
        Assert.False(report.SkipStep);
        Assert.Equal(2, report.ParameterNorms.Count);
        Assert.Equal(5, report.ParameterNorms["fc.weight"], 12);
        Assert.Equal(12, report.ParameterNorms["fc.bias"], 12);
        Assert.Empty(report.NonFiniteParameters);
    }

    [Fact]
    public void Changes_gradients_exactly_as_Clip_GradNorm()
    {
        var random = new Random(1);
        var grads = Enumerable.Range(0, 4).Select(_ => Reference.Gaussian(random, 20, 4)).ToArray();
        var viaTransform = grads.Select(g => Reference.Parameter(g)).ToArray();
        var viaClip = grads.Select(g => Reference.Parameter(g)).ToArray();

        var report = new ClipByGlobalNorm(2, normType: 3).Apply(viaTransform);
        double norm = Clip.GradNorm(viaClip, 2, normType: 3);

        Assert.Equal(norm, report.NormBefore);
        Assert.Equal(viaClip.SelectMany(p => p.Grad!.ToArray()), viaTransform.SelectMany(p => p.Grad!.ToArray()));
    }

    [Fact]
    public void Below_the_limit_reports_not_clipped_and_the_same_norm_after()
    {
        var report = new ClipByGlobalNorm(100).Apply([Reference.Parameter([3, 4])]);

        Assert.False(report.Clipped);
        Assert.Equal(5, report.NormAfter, 12);
        Assert.Equal(1, report.Coefficient);
    }

    [Fact]
    public void Unnamed_parameters_are_reported_by_position_and_non_finite_ones_are_listed()
    {
        var report = new ClipByGlobalNorm(1).Apply([Tensor.Zeros(1), Reference.Parameter([1]), Reference.Parameter([float.NaN])]);

        Assert.Equal(["#1", "#2"], report.ParameterNorms.Keys.Order());
        Assert.Equal(["#2"], report.NonFiniteParameters);
        Assert.True(report.HasNonFinite);
        Assert.True(double.IsNaN(report.NormAfter));
    }

    [Fact]
    public void Rejects_invalid_arguments_by_name()
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => new ClipByGlobalNorm(-1)).ParamName);
        Assert.Equal("normType", Assert.Throws<ArgumentOutOfRangeException>(() => new ClipByGlobalNorm(1, 0)).ParamName);
    }
}
