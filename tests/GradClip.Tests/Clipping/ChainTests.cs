using GradClip.Clipping;

namespace GradClip.Tests.Clipping;

public class ChainTests
{
    [Fact]
    public void Applies_transforms_in_order_and_combines_the_reports()
    {
        var p = Reference.Parameter([-30, 40, 0.5f], "w");
        var chain = new Chain(new ClipByValue(20), new ClipByGlobalNorm(5));

        var report = chain.Apply([p]);

        double before = Reference.Norm([-30f, 40, 0.5f], 2);
        double afterValue = Reference.Norm([-20f, 20, 0.5f], 2);
        Reference.Close(before, report.NormBefore, 1e-12);
        Reference.Close(5, report.NormAfter, 1e-5);
        Reference.Close(5 / before, report.Coefficient, 1e-5);
        Reference.Close(5, Reference.Norm(p.Grad!.ToArray(), 2), 1e-5);
        float scale = (float)(5 / (afterValue + 1e-6));
        Assert.Equal([-20 * scale, 20 * scale, 0.5f * scale], p.Grad!.ToArray());
        Assert.Equal(before, report.ParameterNorms["w"], 9);
    }

    [Fact]
    public void A_skipped_step_stops_the_chain_and_leaves_the_gradients()
    {
        var p = Reference.Parameter([100, float.NaN]);

        var report = new Chain(new NonFiniteGuard(NonFinitePolicy.SkipStep), new ClipByGlobalNorm(1)).Apply([p]);

        Assert.True(report.SkipStep);
        Assert.Equal(100f, p.Grad![0]);
        Assert.False(report.Clipped);
    }

    [Fact]
    public void Zeroing_non_finite_values_then_clipping_gives_a_finite_clipped_step()
    {
        var p = Reference.Parameter([30, float.NaN, 40]);

        var report = new Chain(new NonFiniteGuard(NonFinitePolicy.ZeroNonFinite), new ClipByGlobalNorm(5)).Apply([p]);

        Assert.False(report.SkipStep);
        Assert.True(double.IsNaN(report.NormBefore));
        Reference.Close(5, report.NormAfter, 1e-6);
        Assert.All(p.Grad!.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Rejects_an_empty_chain_and_null_transforms()
    {
        Assert.Throws<ArgumentException>(() => new Chain());
        var ex = Assert.Throws<ArgumentNullException>(() => new Chain(new ClipByValue(1), null!));
        Assert.Contains("Transform 1", ex.Message);
    }
}
