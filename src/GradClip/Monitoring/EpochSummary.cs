namespace GradClip.Monitoring;

/// <summary>One epoch in figures: gradient norms before and after clipping, how often clipping fired, loss and accuracy.</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="Steps">How many steps the epoch had.</param>
/// <param name="GradNormBeforeMean">The mean total gradient norm before clipping over the finite steps (NaN when none was finite).</param>
/// <param name="GradNormBeforeMax">The largest total gradient norm before clipping (+∞ or NaN when a step had one).</param>
/// <param name="GradNormAfterMean">The mean total gradient norm after clipping over the finite steps.</param>
/// <param name="ClipRate">The fraction of steps in which clipping fired.</param>
/// <param name="SkippedSteps">How many steps were skipped.</param>
/// <param name="TrainLoss">The mean mini-batch loss over the epoch.</param>
/// <param name="ValLoss">The validation loss after the epoch, when there is validation data.</param>
/// <param name="ValAccuracy">The validation accuracy after the epoch, for classification.</param>
public sealed record EpochSummary(
    int Epoch,
    int Steps,
    double GradNormBeforeMean,
    double GradNormBeforeMax,
    double GradNormAfterMean,
    double ClipRate,
    int SkippedSteps,
    double TrainLoss,
    double? ValLoss,
    double? ValAccuracy)
{
    /// <summary>Summarizes the steps of one epoch, with the validation figures measured after it.</summary>
    public static EpochSummary Of(int epoch, IReadOnlyList<StepRecord> steps, double? valLoss, double? valAccuracy)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var finite = steps.Where(s => double.IsFinite(s.NormBefore)).ToList();
        return new EpochSummary(
            epoch,
            steps.Count,
            MeanOrNaN(finite.Select(s => s.NormBefore)),
            MaxPropagatingNaN(steps.Select(s => s.NormBefore)),
            MeanOrNaN(finite.Where(s => double.IsFinite(s.NormAfter)).Select(s => s.NormAfter)),
            steps.Count == 0 ? 0 : steps.Count(s => s.Clipped) / (double)steps.Count,
            steps.Count(s => s.Skipped),
            MeanOrNaN(steps.Select(s => s.Loss)),
            valLoss,
            valAccuracy);
    }

    private static double MeanOrNaN(IEnumerable<double> values)
    {
        double sum = 0;
        int count = 0;
        foreach (double v in values)
        {
            sum += v;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    private static double MaxPropagatingNaN(IEnumerable<double> values)
    {
        double max = double.NaN;
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                return double.NaN;
            }
            max = double.IsNaN(max) ? v : Math.Max(max, v);
        }
        return max;
    }
}
