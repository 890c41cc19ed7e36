using GradClip.Clipping;

namespace GradClip.Tests.Clipping;

public class ClipEachByNormTests
{
    [Fact]
    public void Clips_each_gradient_by_its_own_norm_with_TensorFlows_formula()
    {
        var big = Reference.Parameter([30, 40], "big");
        var small = Reference.Parameter([0.3f, 0.4f], "small");

        var report = new ClipEachByNorm(5).Apply([big, small]);

        Assert.Equal([3f, 4f], big.Grad!.ToArray());
        Assert.Equal([0.3f, 0.4f], small.Grad!.ToArray());
        Reference.Close(Math.Sqrt(50 * 50 + 0.5 * 0.5), report.NormBefore, 1e-9);
        Reference.Close(Math.Sqrt(5 * 5 + 0.5 * 0.5), report.NormAfter, 1e-9);
        Assert.Equal(50, report.ParameterNorms["big"], 9);
        Assert.True(report.Clipped);
    }

    [Fact]
    public void The_max_norm_variant_reports_the_largest_clipped_magnitude()
    {
        var p = Reference.Parameter([-8, 2]);
        var q = Reference.Parameter([1, 0.5f]);

        var report = new ClipEachByNorm(4, double.PositiveInfinity).Apply([p, q]);

        Assert.Equal([-4f, 1], p.Grad!.ToArray());
        Assert.Equal(8, report.NormBefore);
        Assert.Equal(4, report.NormAfter);
    }
}
