using GradClip.Adaptive;
using GradClip.Tensors;

namespace GradClip.Tests.Adaptive;

public class ZClipTests
{
    private const double Alpha = 0.97;
    private const double ZThreshold = 2.5;

    /// <summary>A one-element gradient whose norm is exactly <paramref name="norm"/>.</summary>
    private static Tensor[] GradientWithNorm(double norm) => [Reference.Parameter([(float)norm], "w")];

    /// <summary>A ZClip whose warm-up of four norms 1, 3, 1, 3 leaves μ = 2 and σ = 1.</summary>
    private static ZClip WarmedUpWithMean2AndStd1()
    {
        var zClip = new ZClip(warmupSteps: 4);
        foreach (double norm in new[] { 1.0, 3, 1, 3 })
        {
            zClip.Apply(GradientWithNorm(norm));
        }
        return zClip;
    }

    [Fact]
    public void Clips_nothing_during_the_25_warm_up_steps_and_starts_from_their_mean_and_variance()
    {
        var norms = Enumerable.Range(0, 25).Select(t => 1 + 0.25 * (t % 4)).ToArray();
        norms[10] = 1000;
        var zClip = new ZClip();

        foreach (double norm in norms)
        {
            var parameters = GradientWithNorm(norm);
            var report = zClip.Apply(parameters);

            Assert.False(report.Clipped);
            Assert.Equal(1, report.Coefficient);
            Assert.Equal((float)norm, parameters[0].Grad![0]);
        }

        double mean = norms.Average();
        double variance = norms.Sum(n => (n - mean) * (n - mean)) / norms.Length;
        Assert.Equal(25, zClip.Steps);
        Assert.True(zClip.IsWarmedUp);
        Reference.Close(mean, zClip.Mean, 1e-12);
        Reference.Close(Math.Sqrt(variance), zClip.Std, 1e-12);
    }

    [Fact]
    public void A_spike_after_warm_up_is_clipped_to_the_mean_plus_z_threshold_squared_times_std_over_z()
    {
        var zClip = WarmedUpWithMean2AndStd1();
        var parameters = GradientWithNorm(10);

        var report = zClip.Apply(parameters);

        // z = (10 − 2)/1 = 8 > 2.5, so the norm is clipped to 2 + 2.5²·1/8 = 2.78125 (PyTorch's coefficient, with its 1e-6).
        double coefficient = 2.78125 / (10 + 1e-6);
        Assert.True(report.Clipped);
        Assert.Equal(coefficient, report.Coefficient, 12);
        Assert.Equal(10 * coefficient, report.NormAfter, 12);
        Reference.Close(2.78125, parameters[0].Grad![0]);
    }

    [Fact]
    public void The_moving_averages_take_the_clipped_norm_not_the_spike()
    {
        var zClip = WarmedUpWithMean2AndStd1();

        zClip.Apply(GradientWithNorm(10));
        // μ ← α·μ + (1 − α)·g*, then σ² ← α·σ² + (1 − α)·(g* − μ)² with the new μ; g* = 2.78125 (clipped).
        double mean1 = Alpha * 2 + (1 - Alpha) * 2.78125;
        double variance1 = Alpha * 1 + (1 - Alpha) * (2.78125 - mean1) * (2.78125 - mean1);
        Assert.Equal(2.0234375, zClip.Mean, 12);
        Assert.Equal(mean1, zClip.Mean, 12);
        Assert.Equal(Math.Sqrt(variance1), zClip.Std, 12);

        var report = zClip.Apply(GradientWithNorm(2));
        // z < 0: not clipped, so g* is the norm itself.
        double mean2 = Alpha * mean1 + (1 - Alpha) * 2;
        double variance2 = Alpha * variance1 + (1 - Alpha) * (2 - mean2) * (2 - mean2);
        Assert.False(report.Clipped);
        Assert.Equal(mean2, zClip.Mean, 12);
        Assert.Equal(Math.Sqrt(variance2), zClip.Std, 12);
        Assert.Equal(6, zClip.Steps);
    }

    [Fact]
    public void A_norm_exactly_at_the_z_threshold_passes_and_one_just_above_is_clipped()
    {
        var atThreshold = WarmedUpWithMean2AndStd1();
        var justAbove = WarmedUpWithMean2AndStd1();

        var passed = atThreshold.Apply(GradientWithNorm(2 + ZThreshold * 1));
        var clipped = justAbove.Apply(GradientWithNorm(4.75));

        Assert.False(passed.Clipped);
        Assert.Equal(4.5, passed.NormAfter, 12);
        double target = 2 + ZThreshold * ZThreshold * 1 / 2.75;
        Assert.True(clipped.Clipped);
        Assert.Equal(4.75 * target / (4.75 + 1e-6), clipped.NormAfter, 12);
    }

    [Fact]
    public void With_zero_spread_after_warm_up_nothing_counts_as_a_spike_until_the_spread_grows()
    {
        var zClip = new ZClip(warmupSteps: 3);
        foreach (double norm in new[] { 2.0, 2, 2 })
        {
            zClip.Apply(GradientWithNorm(norm));
        }
        Assert.Equal(0, zClip.Std);

        var report = zClip.Apply(GradientWithNorm(100));

        Assert.False(report.Clipped);
        double mean = Alpha * 2 + (1 - Alpha) * 100;
        Assert.Equal(mean, zClip.Mean, 12);
        Assert.Equal(Math.Sqrt((1 - Alpha) * (100 - mean) * (100 - mean)), zClip.Std, 12);
    }

    [Fact]
    public void Non_finite_norms_never_enter_the_statistics()
    {
        var zClip = new ZClip(warmupSteps: 4);
        var duringWarmUp = new[] { Reference.Parameter([float.NaN, 1], "w") };

        var warmUpReport = zClip.Apply(duringWarmUp);

        Assert.False(warmUpReport.Clipped);
        Assert.Equal(1, duringWarmUp[0].Grad![1]);
        Assert.Equal(0, zClip.Steps);
        Assert.True(double.IsNaN(zClip.Mean));

        foreach (double norm in new[] { 1.0, 3, 1, 3 })
        {
            zClip.Apply(GradientWithNorm(norm));
        }
        var afterWarmUp = new[] { Reference.Parameter([float.PositiveInfinity, 1], "w") };
        var report = zClip.Apply(afterWarmUp);

        Assert.Equal(0, report.Coefficient);
        Assert.Equal(0, afterWarmUp[0].Grad![1]);
        Assert.Equal(["w"], report.NonFiniteParameters);
        Assert.Equal(4, zClip.Steps);
        Assert.Equal(2, zClip.Mean, 12);
        Assert.Equal(1, zClip.Std, 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Rejects_an_alpha_outside_0_to_1_naming_it_and_its_value(double alpha)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ZClip(alpha: alpha));

        Assert.Equal("alpha", error.ParamName);
        Assert.Equal(alpha, error.ActualValue);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2.5)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_a_z_threshold_that_is_not_positive_and_finite(double zThreshold)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ZClip(zThreshold: zThreshold));

        Assert.Equal("zThreshold", error.ParamName);
        Assert.Equal(zThreshold, error.ActualValue);
    }

    [Fact]
    public void Rejects_a_warm_up_of_no_steps_naming_it_and_its_value()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ZClip(warmupSteps: 0));

        Assert.Equal("warmupSteps", error.ParamName);
        Assert.Equal(0, error.ActualValue);
        Assert.Contains("but was 0", error.Message);
    }
}
