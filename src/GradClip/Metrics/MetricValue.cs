namespace GradClip.Metrics;

/// <summary>One epoch metric's value, by the name it has in <c>metrics.jsonl</c>; NaN where it could not be measured.</summary>
/// <param name="Name">The metric's name, e.g. <c>val_accuracy</c>.</param>
/// <param name="Value">Its value after the epoch.</param>
public sealed record MetricValue(string Name, double Value);
