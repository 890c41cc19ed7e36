using GradClip.Monitoring;
using GradClip.Training;

namespace GradClip.Cli.Compare;

/// <summary>How one strategy did in a comparison: the figures of its row in the table and in <c>comparison.json</c>.</summary>
/// <param name="Strategy">The strategy as written.</param>
/// <param name="Folder">Its run's folder, relative to the comparison's.</param>
/// <param name="FinalLoss">The last epoch's training loss, or null when it was not finite.</param>
/// <param name="BestValMetric">The best validation accuracy (classification) or lowest validation loss (regression), or null when none was finite.</param>
/// <param name="Diverged">Whether a step went non-finite or the health check found exploding gradients.</param>
/// <param name="FirstNonFiniteStep">The first step whose loss or gradient norm was NaN or ±∞, or null.</param>
/// <param name="ClipRate">The fraction of steps in which clipping fired.</param>
/// <param name="MsPerStep">Training time per step in milliseconds, validation included.</param>
/// <param name="Steps">How many steps the run took.</param>
/// <param name="Verdicts">The health check's verdicts, by kind.</param>
public sealed record StrategyOutcome(
    string Strategy,
    string Folder,
    double? FinalLoss,
    double? BestValMetric,
    bool Diverged,
    int? FirstNonFiniteStep,
    double ClipRate,
    double MsPerStep,
    int Steps,
    IReadOnlyList<HealthKind> Verdicts)
{
    /// <summary>The figures of <paramref name="result"/>, trained under <paramref name="strategy"/> in <paramref name="elapsed"/>.</summary>
    public static StrategyOutcome Of(ClipStrategy strategy, TrainingResult result, TimeSpan elapsed, bool classification)
    {
        var steps = result.Steps;
        var firstNonFinite = steps.FirstOrDefault(s => !double.IsFinite(s.Loss) || !double.IsFinite(s.NormBefore));
        var verdicts = result.Findings.Select(f => f.Kind).ToList();
        var metrics = result.Epochs.Select(e => classification ? e.ValAccuracy : e.ValLoss).OfType<double>().Where(double.IsFinite).ToList();
        double? best = metrics.Count == 0 ? null : classification ? metrics.Max() : metrics.Min();
        double? finalLoss = result.Epochs.Count > 0 && double.IsFinite(result.Epochs[^1].TrainLoss) ? result.Epochs[^1].TrainLoss : null;
        return new StrategyOutcome(
            strategy.Text,
            strategy.Folder,
            finalLoss,
            best,
            firstNonFinite is not null || verdicts.Contains(HealthKind.Exploding),
            firstNonFinite?.Step,
            steps.Count == 0 ? 0 : steps.Count(s => s.Clipped) / (double)steps.Count,
            steps.Count == 0 ? 0 : elapsed.TotalMilliseconds / steps.Count,
            steps.Count,
            verdicts);
    }
}
