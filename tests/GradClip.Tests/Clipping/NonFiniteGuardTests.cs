using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Tests.Clipping;

public class NonFiniteGuardTests
{
    private static Tensor[] Gradients() =>
        [Reference.Parameter([1, 2], "ok"), Reference.Parameter([3, float.NaN, float.PositiveInfinity], "bad")];

    [Fact]
    public void SkipStep_leaves_gradients_untouched_and_marks_the_step()
    {
        var parameters = Gradients();
        var guard = new NonFiniteGuard(NonFinitePolicy.SkipStep);

        var report = guard.Apply(parameters);

        Assert.True(report.SkipStep);
        Assert.Equal(["bad"], report.NonFiniteParameters);
        Assert.Equal([1f, 2], parameters[0].Grad!.ToArray());
        Assert.True(float.IsNaN(parameters[1].Grad![1]));
        Assert.Equal(1, guard.NonFiniteSteps);
    }

    [Fact]
    public void Throw_names_the_parameter_and_the_way_out()
    {
        var ex = Assert.Throws<NonFiniteGradientException>(() => new NonFiniteGuard(NonFinitePolicy.Throw).Apply(Gradients()));

        Assert.Equal("bad", ex.ParameterName);
        Assert.Contains("NonFinitePolicy", ex.Message);
    }

    [Fact]
    public void ZeroNonFinite_replaces_only_the_bad_elements_and_reports_the_norm_after()
    {
        var parameters = Gradients();

        var report = new NonFiniteGuard(NonFinitePolicy.ZeroNonFinite).Apply(parameters);

        Assert.Equal([3f, 0, 0], parameters[1].Grad!.ToArray());
        Assert.Equal([1f, 2], parameters[0].Grad!.ToArray());
        Reference.Close(Math.Sqrt(1 + 4 + 9), report.NormAfter, 1e-12);
        Assert.True(report.Clipped);
        Assert.False(report.SkipStep);
    }

    [Fact]
    public void Propagate_changes_nothing_but_reports_what_it_saw()
    {
        var parameters = Gradients();

        var report = new NonFiniteGuard(NonFinitePolicy.Propagate).Apply(parameters);

        Assert.False(report.SkipStep);
        Assert.False(report.Clipped);
        Assert.Equal(["bad"], report.NonFiniteParameters);
        Assert.True(float.IsPositiveInfinity(parameters[1].Grad![2]));
    }

    [Fact]
    public void Counts_consecutive_non_finite_steps_and_resets_on_a_finite_one()
    {
        var guard = new NonFiniteGuard(NonFinitePolicy.SkipStep);

        guard.Apply(Gradients());
        guard.Apply(Gradients());
        Assert.Equal(2, guard.ConsecutiveNonFiniteSteps);
        var finite = guard.Apply([Reference.Parameter([1])]);

        Assert.False(finite.SkipStep);
        Assert.Equal(0, guard.ConsecutiveNonFiniteSteps);
        Assert.Equal(2, guard.NonFiniteSteps);
    }
}
