using GradClip.Metrics;

namespace GradClip.Cli.Common;

/// <summary>An epoch metric's value as tables, lines and reports show it, following its declared <see cref="MetricFormat"/>.</summary>
public static class MetricText
{
    /// <summary><paramref name="value"/> of <paramref name="metric"/> (a percentage or a short number; NaN and ∞ spelt out), or <c>-</c> when missing.</summary>
    public static string Of(EpochMetric metric, double? value)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return value switch
        {
            null => "-",
            double v when metric.Format == MetricFormat.Percent && double.IsFinite(v) => NumberText.Percent(v),
            double v => NumberText.Short(v),
        };
    }

    /// <summary>The declaration of each of <paramref name="names"/> (a run's metric names as its files hold them), skipping names no task declares.</summary>
    public static IReadOnlyList<EpochMetric> Declared(IEnumerable<string> names) =>
        [.. names.Select(TaskMetrics.Named).OfType<EpochMetric>()];
}
