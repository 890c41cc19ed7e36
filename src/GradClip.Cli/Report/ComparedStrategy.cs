namespace GradClip.Cli.Report;

/// <summary>One strategy of a comparison: its row of <c>comparison.json</c> and its training run, read from its folder.</summary>
/// <param name="Strategy">The strategy as given to <c>gradclip compare</c>, e.g. <c>norm:1</c>.</param>
/// <param name="Folder">The name of the run's folder inside the comparison's folder, e.g. <c>norm-1</c>.</param>
/// <param name="FinalLoss">The last epoch's training loss, or null when it was not finite or not recorded.</param>
/// <param name="BestValMetric">The best validation metric of any epoch (see <see cref="ComparisonRecords.Metric"/>), or null when none was finite.</param>
/// <param name="Diverged">Whether the run diverged: non-finite loss or gradients, or gradients that exploded past clipping.</param>
/// <param name="FirstNonFiniteStep">The first step with a non-finite loss or gradient norm, or null when there was none.</param>
/// <param name="ClipRate">The fraction of all steps in which clipping fired.</param>
/// <param name="MsPerStep">The training time per optimizer step, in milliseconds.</param>
/// <param name="Steps">How many optimizer steps ran.</param>
/// <param name="Run">The strategy's training run.</param>
public sealed record ComparedStrategy(
    string Strategy,
    string Folder,
    double? FinalLoss,
    double? BestValMetric,
    bool Diverged,
    int? FirstNonFiniteStep,
    double ClipRate,
    double MsPerStep,
    int Steps,
    RunRecords Run);
