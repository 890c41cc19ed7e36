using GradClip.Cli.Compare;
using GradClip.Cli.Report;
using GradClip.Metrics;

namespace GradClip.Cli.Tests.Compare;

public class CompareWinnerTests
{
    private static ComparisonRow Row(string name, double? finalMetric, double? finalLoss = 0.5, bool diverged = false, bool collapsed = false, double? best = null) =>
        new(name, name, 0.1, best ?? finalMetric, diverged, null, 0, 1, 10) { FinalValMetric = finalMetric, FinalValLoss = finalLoss, Collapsed = collapsed };

    [Fact]
    public void The_best_final_figure_wins_not_the_best_epoch()
    {
        // "lucky" had the best epoch (99 %) but ends at 90 %; "steady" ends at 95 %.
        ComparisonRow[] rows = [Row("lucky", 0.90, best: 0.99), Row("steady", 0.95)];

        Assert.Equal("steady", CompareWinner.Pick(rows, EpochMetric.ValidationAccuracy)!.Strategy);
        Assert.Equal("Best: steady, with the best final val_accuracy 95 %.", CompareWinner.Sentence(rows, EpochMetric.ValidationAccuracy));
    }

    [Fact]
    public void Divergence_and_collapse_count_against_a_strategy_and_the_sentence_says_so()
    {
        ComparisonRow[] rows = [Row("none", 0.97, diverged: true), Row("deep", 0.96, collapsed: true), Row("norm:1", 0.80)];

        Assert.Equal("norm:1", CompareWinner.Pick(rows, EpochMetric.ValidationAccuracy)!.Strategy);
        Assert.Equal("Best: norm:1, with the best final val_accuracy 80 %; counted against the others: none diverged, deep collapsed.",
            CompareWinner.Sentence(rows, EpochMetric.ValidationAccuracy));
    }

    [Fact]
    public void Ties_go_to_the_lower_final_validation_loss_then_to_the_order_given()
    {
        ComparisonRow[] byLoss = [Row("a", 0.9, finalLoss: 0.4), Row("b", 0.9, finalLoss: 0.3)];
        ComparisonRow[] byOrder = [Row("a", 0.9, finalLoss: 0.3), Row("b", 0.9, finalLoss: 0.3)];

        Assert.Equal("b", CompareWinner.Pick(byLoss, EpochMetric.ValidationAccuracy)!.Strategy);
        Assert.Equal("a", CompareWinner.Pick(byOrder, EpochMetric.ValidationAccuracy)!.Strategy);
    }

    [Fact]
    public void For_regression_the_lower_final_validation_rmse_wins()
    {
        ComparisonRow[] rows = [Row("a", 0.3), Row("b", 0.2), Row("c", null)];

        Assert.Equal("b", CompareWinner.Pick(rows, EpochMetric.ValidationRmse)!.Strategy);
        Assert.Equal("Best: b, with the best final val_rmse 0.2.", CompareWinner.Sentence(rows, EpochMetric.ValidationRmse));
    }

    [Fact]
    public void Without_a_finite_final_figure_nobody_wins()
    {
        ComparisonRow[] rows = [Row("a", null), Row("b", null)];

        Assert.Null(CompareWinner.Pick(rows, EpochMetric.ValidationAccuracy));
        Assert.Equal("No strategy ended with a finite validation figure, so none wins.", CompareWinner.Sentence(rows, EpochMetric.ValidationAccuracy));
    }
}
