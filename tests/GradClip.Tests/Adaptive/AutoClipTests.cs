using GradClip.Adaptive;
using GradClip.Monitoring;
using GradClip.Tensors;

namespace GradClip.Tests.Adaptive;

public class AutoClipTests
{
    /// <summary>Two parameters whose gradients [3s] and [4s] have total L2 norm 5s.</summary>
    private static Tensor[] GradientsWithNorm(double norm)
    {
        float s = (float)(norm / 5);
        return [Reference.Parameter([3 * s], "a"), Reference.Parameter([4 * s], "b")];
    }

    [Fact]
    public void Clips_each_step_to_the_tenth_percentile_of_the_norms_so_far_the_current_one_included()
    {
        double[] norms = [20, 5, 15, 50, 10];
        // numpy.percentile(history, 10) by hand: rank 0.1·(n−1) in the sorted history, interpolated linearly.
        // [20] → 20; [5, 20] → 5 + 0.1·15 = 6.5; [5, 15, 20] → 5 + 0.2·10 = 7; [5, 15, 20, 50] → 5 + 0.3·10 = 8;
        // [5, 10, 15, 20, 50] → 5 + 0.4·5 = 7.
        double[] thresholds = [20, 6.5, 7, 8, 7];
        var autoClip = new AutoClip();

        for (int step = 0; step < norms.Length; step++)
        {
            var parameters = GradientsWithNorm(norms[step]);
            var report = autoClip.Apply(parameters);

            double coefficient = Math.Min(1, thresholds[step] / (norms[step] + 1e-6));
            Assert.Equal(thresholds[step], autoClip.Threshold, 12);
            Assert.Equal(step + 1, autoClip.HistoryCount);
            Assert.Equal(norms[step], report.NormBefore, 12);
            Assert.Equal(coefficient, report.Coefficient, 12);
            Assert.Equal(coefficient < 1, report.Clipped);
            Reference.Close(Math.Min(norms[step], thresholds[step]), report.NormAfter);
            Reference.Close(3 * norms[step] / 5 * coefficient, parameters[0].Grad![0]);
            Reference.Close(4 * norms[step] / 5 * coefficient, parameters[1].Grad![0]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(37.5)]
    [InlineData(50)]
    [InlineData(100)]
    public void Threshold_is_the_numpy_percentile_of_the_whole_history_for_any_p(double percentile)
    {
        var random = new Random(7);
        var seen = new List<double>();
        var autoClip = new AutoClip(percentile);

        for (int step = 0; step < 60; step++)
        {
            var gradient = Reference.Gaussian(random, 8, scale: 1 + 9 * random.NextDouble());
            seen.Add(Reference.Norm(gradient, 2));
            autoClip.Apply([Reference.Parameter(gradient)]);

            Reference.Close(Percentile.Of(seen, percentile), autoClip.Threshold, 1e-6);
        }
    }

    [Fact]
    public void A_nan_norm_stays_out_of_the_history_and_propagates_as_in_PyTorch()
    {
        var autoClip = new AutoClip();
        autoClip.Apply(GradientsWithNorm(5));
        var poisoned = new[] { Reference.Parameter([float.NaN], "bad"), Reference.Parameter([1], "good") };

        var report = autoClip.Apply(poisoned);

        Assert.Equal(1, autoClip.HistoryCount);
        Assert.Equal(5, autoClip.Threshold, 12);
        Assert.Equal(["bad"], report.NonFiniteParameters);
        Assert.True(float.IsNaN(poisoned[1].Grad![0]));
        autoClip.Apply(GradientsWithNorm(10));
        Assert.Equal(5 + 0.1 * 5, autoClip.Threshold, 12);
    }

    [Fact]
    public void An_infinite_norm_stays_out_of_the_history_and_zeroes_the_finite_entries()
    {
        var autoClip = new AutoClip();
        autoClip.Apply(GradientsWithNorm(5));
        var exploded = new[] { Reference.Parameter([float.PositiveInfinity, 2], "w") };

        var report = autoClip.Apply(exploded);

        Assert.Equal(1, autoClip.HistoryCount);
        Assert.Equal(0, report.Coefficient);
        Assert.Equal(0, exploded[0].Grad![1]);
    }

    [Fact]
    public void Before_any_finite_norm_the_threshold_is_nan()
    {
        var autoClip = new AutoClip();

        Assert.True(double.IsNaN(autoClip.Threshold));
        autoClip.Apply([Reference.Parameter([float.NaN])]);
        Assert.True(double.IsNaN(autoClip.Threshold));
        Assert.Equal(0, autoClip.HistoryCount);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Rejects_a_percentile_outside_0_to_100_naming_it_and_its_value(double percentile)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoClip(percentile));

        Assert.Equal("percentile", error.ParamName);
        Assert.Equal(percentile, error.ActualValue);
        Assert.Contains(percentile.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }
}
