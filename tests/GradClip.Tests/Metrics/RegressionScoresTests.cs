using GradClip.Metrics;

namespace GradClip.Tests.Metrics;

public sealed class RegressionScoresTests
{
    // Targets 1 2 3 4, predictions 1.5 2 2 5: errors 0.5, 0, −1, 1; SSE 2.25; mean 2.5, SST 5.
    private static readonly double[] Targets = [1, 2, 3, 4];
    private static readonly double[] Predicted = [1.5, 2, 2, 5];

    [Fact]
    public void Mae_rmse_and_r2_match_the_hand_computed_values()
    {
        Assert.Equal(0.625, RegressionScores.MeanAbsoluteError(Predicted, Targets), 12);
        Assert.Equal(0.75, RegressionScores.RootMeanSquaredError(Predicted, Targets), 12);
        Assert.Equal(1 - 2.25 / 5, RegressionScores.RSquared(Predicted, Targets), 12);
    }

    [Fact]
    public void R2_of_predicting_the_mean_is_zero_and_of_constant_targets_follows_scikit_learn()
    {
        Assert.Equal(0, RegressionScores.RSquared([2.5, 2.5, 2.5, 2.5], Targets), 12);
        Assert.Equal(1, RegressionScores.RSquared([2, 2], [2, 2]));
        Assert.Equal(0, RegressionScores.RSquared([2, 3], [2, 2]));
    }

    [Fact]
    public void No_rows_give_nan_and_mismatched_lengths_are_refused()
    {
        Assert.True(double.IsNaN(RegressionScores.RootMeanSquaredError([], [])));
        Assert.Throws<ArgumentException>(() => RegressionScores.MeanAbsoluteError([1], [1, 2]));
    }
}
