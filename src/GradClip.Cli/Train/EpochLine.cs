using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Cli.Train;

/// <summary>The one line <c>gradclip train</c> prints as each epoch ends, on a terminal and in a log alike (as Keras's <c>fit</c> does), with the task's headline metric (the table has them all).</summary>
public static class EpochLine
{
    /// <summary>The line for <paramref name="e"/> of <paramref name="epochs"/>, with how long it took.</summary>
    public static string Of(EpochSummary e, int epochs, TimeSpan took)
    {
        string width = epochs.ToString(CultureInfo.InvariantCulture);
        string line = $"Epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width.Length)}/{width}"
            + $"  loss {NumberText.Brief(e.TrainLoss)}"
            + (e.ValLoss is { } loss ? $"  val_loss {NumberText.Brief(loss)}" : "")
            + (TaskMetrics.Declaring(e.Metrics.Select(m => m.Name))?.Headline is { } headline && e.Metric(headline.Name) is { } value
                ? $"  {headline.Name} {MetricText.Of(headline, value)}" : "")
            + $"  grad norm {NumberText.Brief(e.GradNormBeforeMean)} → {NumberText.Brief(e.GradNormAfterMean)}"
            + $"  clipped {NumberText.Percent(e.ClipRate)}"
            + (e.SkippedSteps > 0 ? $"  skipped {e.SkippedSteps.ToString(CultureInfo.InvariantCulture)}" : "");
        return line + string.Create(CultureInfo.InvariantCulture, $"  {took.TotalSeconds:0.00} s");
    }
}
