using GradClip.Clipping;

namespace GradClip.Tests.Clipping;

public class ClipByValueTests
{
    [Fact]
    public void Clamps_and_reports_the_L2_norms_before_and_after()
    {
        var p = Reference.Parameter([-3, 0.5f, 2, 4]);

        var report = new ClipByValue(1).Apply([p]);

        Assert.Equal([-1f, 0.5f, 1, 1], p.Grad!.ToArray());
        Reference.Close(Reference.Norm([-3f, 0.5f, 2, 4], 2), report.NormBefore, 1e-12);
        Reference.Close(Reference.Norm([-1f, 0.5f, 1, 1], 2), report.NormAfter, 1e-12);
        Reference.Close(report.NormAfter / report.NormBefore, report.Coefficient, 1e-12);
        Assert.True(report.Clipped);
    }

    [Fact]
    public void Values_inside_the_range_are_reported_as_not_clipped()
    {
        var report = new ClipByValue(10).Apply([Reference.Parameter([1, -2])]);

        Assert.False(report.Clipped);
        Assert.Equal(1, report.Coefficient, 12);
    }

    [Fact]
    public void Rejects_a_non_positive_clip_value()
    {
        Assert.Equal("clipValue", Assert.Throws<ArgumentOutOfRangeException>(() => new ClipByValue(0)).ParamName);
    }
}
