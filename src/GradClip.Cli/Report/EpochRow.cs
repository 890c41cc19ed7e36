namespace GradClip.Cli.Report;

/// <summary>One line of <c>metrics.jsonl</c> as read back: an epoch's figures, null where the run wrote null (missing or not finite).</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="TrainLoss">The mean mini-batch loss over the epoch.</param>
/// <param name="ValLoss">The validation loss after the epoch.</param>
/// <param name="Metrics">The task's metrics after the epoch, by name in the file's order (<see cref="GradClip.Metrics.TaskMetrics"/>).</param>
/// <param name="GradNormBeforeMean">The mean total gradient norm before clipping.</param>
/// <param name="GradNormBeforeMax">The largest total gradient norm before clipping.</param>
/// <param name="GradNormAfterMean">The mean total gradient norm after clipping.</param>
/// <param name="ClipRate">The fraction of steps in which clipping fired.</param>
/// <param name="SkippedSteps">How many steps were skipped.</param>
public sealed record EpochRow(
    int Epoch,
    double? TrainLoss,
    double? ValLoss,
    IReadOnlyList<KeyValuePair<string, double?>> Metrics,
    double? GradNormBeforeMean,
    double? GradNormBeforeMax,
    double? GradNormAfterMean,
    double? ClipRate,
    int SkippedSteps)
{
    /// <summary>The value of the metric named <paramref name="name"/> (<c>val_loss</c> included), or null when missing or not finite.</summary>
    public double? Metric(string name) =>
        name == GradClip.Metrics.EpochMetric.ValidationLoss.Name ? ValLoss : Metrics.FirstOrDefault(m => m.Key == name).Value;
}
