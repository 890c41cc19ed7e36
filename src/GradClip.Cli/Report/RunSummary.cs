using System.Globalization;

namespace GradClip.Cli.Report;

/// <summary>The parts of <c>summary.json</c> a report shows: what was trained on what, how it ended, the verdicts and the options.</summary>
/// <param name="Data">The data's source (a path, or <c>built-in</c>).</param>
/// <param name="Rows">The number of data rows.</param>
/// <param name="Task">classification or regression.</param>
/// <param name="Model">The network's layer widths, e.g. <c>10-64-32-3</c>.</param>
/// <param name="EpochsRun">How many epochs ran.</param>
/// <param name="Steps">How many optimizer steps ran.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="StopReason">Why training stopped early, or null when it ran to the end.</param>
/// <param name="Verdicts">The health verdicts.</param>
/// <param name="Options">The run's settings by name, as written (e.g. <c>clip</c> = <c>norm</c>, <c>max_norm</c> = <c>1</c>).</param>
/// <param name="Seconds">The training time in seconds.</param>
public sealed record RunSummary(
    string Data,
    int Rows,
    string Task,
    string Model,
    int EpochsRun,
    int Steps,
    int BestEpoch,
    string? StopReason,
    IReadOnlyList<Verdict> Verdicts,
    IReadOnlyList<KeyValuePair<string, string>> Options,
    double Seconds)
{
    /// <summary>The kept model's confusion matrix on the validation rows, for classification; null otherwise (and for runs written before it).</summary>
    public ConfusionTable? Confusion { get; init; }

    /// <summary>The max_norm line to draw over the gradient norms: the option's value when clipping by norm, otherwise null.</summary>
    public double? MaxNormLine =>
        Option("clip") == "norm"
        && double.TryParse(Option("max_norm"), NumberStyles.Float, CultureInfo.InvariantCulture, out double maxNorm)
        && double.IsFinite(maxNorm) && maxNorm > 0
            ? maxNorm
            : null;

    /// <summary>The option named <paramref name="name"/>, or null when the run did not record it.</summary>
    public string? Option(string name) => Options.FirstOrDefault(o => o.Key == name).Value;
}
