namespace GradClip.Cli.Report;

/// <summary>One strategy of a comparison: its entry in <c>comparison.json</c> and its training run, read from its folder.</summary>
/// <param name="Row">The strategy's entry: its name, folder and figures.</param>
/// <param name="Run">The strategy's training run.</param>
public sealed record ComparedStrategy(ComparisonRow Row, RunRecords Run);
