namespace GradClip.Cli.Report;

/// <summary>One health verdict of <c>summary.json</c>: what was found, the figures behind it and what to do.</summary>
/// <param name="Kind">The verdict's kind, as the health check names it (e.g. <c>Healthy</c>, <c>Exploding</c>).</param>
/// <param name="Summary">The verdict in one sentence.</param>
/// <param name="Evidence">The figures that support it.</param>
/// <param name="Suggestion">What to change next.</param>
/// <param name="FirstStep">The first step where the problem showed, when there is one.</param>
public sealed record Verdict(string Kind, string Summary, string Evidence, string Suggestion, int? FirstStep);
