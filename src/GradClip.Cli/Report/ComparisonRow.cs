using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Training;

namespace GradClip.Cli.Report;

/// <summary>How one strategy did in a comparison: its entry in <c>comparison.json</c>, and its row in the tables.</summary>
/// <param name="Strategy">The strategy as written.</param>
/// <param name="Folder">Its run's folder, relative to the comparison's.</param>
/// <param name="FinalLoss">The last epoch's training loss, or null when it was not finite.</param>
/// <param name="BestValMetric">The best value of the task's headline metric over the epochs (<see cref="TaskMetrics.Headline"/>), or null when none was finite.</param>
/// <param name="Diverged">Whether a step went non-finite or the health check found exploding gradients (for an agent, only the former: its exploding verdict is a collapse).</param>
/// <param name="FirstNonFiniteStep">The first step whose loss or gradient norm was NaN or ±∞, or null.</param>
/// <param name="ClipRate">The fraction of steps in which clipping fired.</param>
/// <param name="MsPerStep">Training time per step in milliseconds, validation included, in the run's fastest epoch (the others wait on the JIT).</param>
/// <param name="Steps">How many steps the run took.</param>
public sealed record ComparisonRow(
    string Strategy,
    string Folder,
    double? FinalLoss,
    double? BestValMetric,
    bool Diverged,
    int? FirstNonFiniteStep,
    double ClipRate,
    double MsPerStep,
    int Steps)
{
    /// <summary>The last epoch's headline metric, the figure of the weights the run ends with; null when not finite or not recorded.</summary>
    public double? FinalValMetric { get; init; }

    /// <summary>The last epoch's validation loss, which breaks ties; null when not finite or not recorded.</summary>
    public double? FinalValLoss { get; init; }

    /// <summary>The last epoch's value of every metric the task declares, by name in declaration order (null: not finite or not recorded).</summary>
    public IReadOnlyList<KeyValuePair<string, double?>> FinalMetrics { get; init; } = [];

    /// <summary>Whether the run learned and then lost it: its final validation accuracy is back at chance (within 10 % of it), or its final validation loss is more than twice its best, or an agent's return collapsed.</summary>
    public bool Collapsed { get; init; }

    /// <summary>
    /// The figures of <paramref name="result"/>, trained under <paramref name="strategy"/> into <paramref name="folder"/> at
    /// <paramref name="msPerStep"/> and judged to have <paramref name="findings"/>, of a task reporting <paramref name="metrics"/>,
    /// a classification into <paramref name="classes"/> classes (null otherwise).
    /// </summary>
    public static ComparisonRow Of(string strategy, string folder, TrainingResult result, IReadOnlyList<HealthFinding> findings, double msPerStep, TaskMetrics metrics, int? classes)
    {
        var headline = metrics.Headline;
        var steps = result.Steps;
        var firstNonFinite = steps.FirstOrDefault(s => !double.IsFinite(s.Loss) || !double.IsFinite(s.NormBefore));
        bool exploded = findings.Any(f => f.Kind == HealthKind.Exploding);
        // An agent's exploding verdict is a collapse of its return with finite gradients, not a divergence.
        bool agent = headline == EpochMetric.MeanReturn;
        var values = result.Epochs.Select(e => e.Metric(headline.Name)).OfType<double>().Where(double.IsFinite).ToList();
        double? best = values.Count == 0 ? null : headline.HigherIsBetter ? values.Max() : values.Min();
        var last = result.Epochs.LastOrDefault();
        double? finalLoss = result.Epochs.Count > 0 && double.IsFinite(result.Epochs[^1].TrainLoss) ? result.Epochs[^1].TrainLoss : null;
        return new ComparisonRow(
            strategy,
            folder,
            finalLoss,
            best,
            firstNonFinite is not null || (exploded && !agent),
            firstNonFinite?.Step,
            steps.Count == 0 ? 0 : steps.Count(s => s.Clipped) / (double)steps.Count,
            msPerStep,
            steps.Count)
        {
            FinalValMetric = Finite(last?.Metric(headline.Name)),
            FinalValLoss = Finite(last?.ValLoss),
            FinalMetrics = [.. metrics.Metrics.Select(m => KeyValuePair.Create(m.Name, Finite(last?.Metric(m.Name))))],
            Collapsed = agent ? exploded : HasCollapsed(result, classes),
        };
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static bool HasCollapsed(TrainingResult result, int? classes)
    {
        if (result.Epochs.LastOrDefault() is not { } last)
        {
            return false;
        }
        var losses = result.Epochs.Select(e => Finite(e.ValLoss)).OfType<double>().ToList();
        return classes is { } count
            ? Finite(last.ValAccuracy) is { } accuracy && accuracy <= 1.1 / count
            : Finite(last.ValLoss) is { } loss && losses.Count > 0 && loss > 2 * losses.Min();
    }
}
