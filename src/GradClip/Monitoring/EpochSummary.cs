using System.Text.Json.Serialization;
using GradClip.Metrics;

namespace GradClip.Monitoring;

/// <summary>One epoch in figures: gradient norms before and after clipping, how often clipping fired, loss and the task's metrics.</summary>
/// <param name="Epoch">The epoch, counting from 1.</param>
/// <param name="Steps">How many steps the epoch had.</param>
/// <param name="GradNormBeforeMean">The mean total gradient norm before clipping over the finite steps (NaN when none was finite).</param>
/// <param name="GradNormBeforeMax">The largest total gradient norm before clipping (+∞ or NaN when a step had one).</param>
/// <param name="GradNormAfterMean">The mean total gradient norm after clipping over the finite steps.</param>
/// <param name="ClipRate">The fraction of steps in which clipping fired.</param>
/// <param name="SkippedSteps">How many steps were skipped.</param>
/// <param name="TrainLoss">The mean mini-batch loss over the epoch.</param>
/// <param name="ValLoss">The validation loss after the epoch, when there is validation data.</param>
/// <param name="Metrics">The task's metrics after the epoch (<see cref="TaskMetrics"/>), in its declaration order.</param>
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
    IReadOnlyList<MetricValue> Metrics)
{
    /// <summary>The validation accuracy, for a task that reports it; null otherwise.</summary>
    [JsonIgnore]
    public double? ValAccuracy => Metric(EpochMetric.ValidationAccuracy.Name);

    /// <summary>The value of the metric named <paramref name="name"/>, or null when the epoch has none of that name.</summary>
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;

    /// <summary>Whether <paramref name="other"/> holds the same figures, its metrics compared value by value (NaN equals NaN, as elsewhere in records).</summary>
    public bool Equals(EpochSummary? other) =>
        other is not null && Epoch == other.Epoch && Steps == other.Steps && GradNormBeforeMean.Equals(other.GradNormBeforeMean)
        && GradNormBeforeMax.Equals(other.GradNormBeforeMax) && GradNormAfterMean.Equals(other.GradNormAfterMean) && ClipRate.Equals(other.ClipRate)
        && SkippedSteps == other.SkippedSteps && TrainLoss.Equals(other.TrainLoss) && Nullable.Equals(ValLoss, other.ValLoss)
        && Metrics.SequenceEqual(other.Metrics);

    /// <summary>A hash consistent with <see cref="Equals(EpochSummary?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Epoch, Steps, TrainLoss, ValLoss, Metrics.Count);

    /// <summary>The figure named <paramref name="name"/>: <c>val_loss</c> or one of <see cref="Metrics"/>; null when the epoch has none.</summary>
    public double? Figure(string name) => name == EpochMetric.ValidationLoss.Name ? ValLoss : Metric(name);

    /// <summary>Summarizes the steps of one epoch, with the validation figures measured after it.</summary>
    public static EpochSummary Of(int epoch, IReadOnlyList<StepRecord> steps, double? valLoss, IReadOnlyList<MetricValue> metrics)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(metrics);
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
            metrics);
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
