namespace GradClip.Cli.Report;

/// <summary>One health verdict of <c>summary.json</c>: what was found, how much it matters, the figures behind it and what to do.</summary>
/// <param name="Kind">The verdict's kind, as the health check names it (e.g. <c>Healthy</c>, <c>Exploding</c>).</param>
/// <param name="Summary">The verdict in one sentence.</param>
/// <param name="Evidence">The figures that support it.</param>
/// <param name="Suggestion">What to change next.</param>
/// <param name="FirstStep">The first step where the problem showed, when there is one.</param>
/// <param name="Severity">How much it matters: <c>info</c>, <c>warning</c> or <c>error</c>.</param>
public sealed record Verdict(string Kind, string Summary, string Evidence, string Suggestion, int? FirstStep, string Severity = "warning")
{
    /// <summary>The colour a verdict is shown in: green for a healthy run, else blue, yellow or red by severity.</summary>
    public static string Colour(string kind, string severity) => kind == "Healthy" ? "green" : severity switch
    {
        "info" => "blue",
        "warning" => "yellow",
        _ => "red",
    };
}
