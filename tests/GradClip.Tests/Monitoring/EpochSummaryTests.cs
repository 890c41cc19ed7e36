using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Tests.Monitoring;

public class EpochSummaryTests
{
    private static StepRecord Step(double loss, double before, double after, bool clipped, bool skipped = false) =>
        new(1, 1, loss, before, after, after / before, clipped, skipped, 0.1, new Dictionary<string, double>(), []);

    [Fact]
    public void Summarizes_the_seed_table_figures_by_hand()
    {
        var steps = new[] { Step(2.4, 15.2, 5, true), Step(2.2, 12.7, 5, true), Step(2.3, 4.8, 4.8, false), Step(2.1, 3.2, 3.2, false) };

        var summary = EpochSummary.Of(1, steps, valLoss: 1.9, metrics: [new MetricValue("val_accuracy", 0.5)]);

        Assert.Equal(4, summary.Steps);
        Assert.Equal((15.2 + 12.7 + 4.8 + 3.2) / 4, summary.GradNormBeforeMean, 12);
        Assert.Equal(15.2, summary.GradNormBeforeMax);
        Assert.Equal((5 + 5 + 4.8 + 3.2) / 4, summary.GradNormAfterMean, 12);
        Assert.Equal(0.5, summary.ClipRate);
        Assert.Equal((2.4 + 2.2 + 2.3 + 2.1) / 4, summary.TrainLoss, 12);
        Assert.Equal(1.9, summary.ValLoss);
        Assert.Equal(0.5, summary.ValAccuracy);
        Assert.Equal(0, summary.SkippedSteps);
    }

    [Fact]
    public void Non_finite_steps_are_left_out_of_the_means_but_show_in_the_max_and_skips()
    {
        var steps = new[] { Step(1, 2, 2, false), Step(double.NaN, double.PositiveInfinity, double.NaN, true, skipped: true) };

        var summary = EpochSummary.Of(3, steps, null, []);

        Assert.Equal(2, summary.GradNormBeforeMean);
        Assert.Equal(double.PositiveInfinity, summary.GradNormBeforeMax);
        Assert.Equal(2, summary.GradNormAfterMean);
        Assert.Equal(1, summary.SkippedSteps);
        Assert.True(double.IsNaN(summary.TrainLoss));
        Assert.Null(summary.ValAccuracy);
    }

    [Fact]
    public void An_epoch_without_steps_has_NaN_means_and_a_zero_clip_rate()
    {
        var summary = EpochSummary.Of(1, [], null, []);

        Assert.True(double.IsNaN(summary.GradNormBeforeMean));
        Assert.Equal(0, summary.ClipRate);
    }
}
