namespace GradClip.Diagnosis;

/// <summary>One verdict on a run, with its severity, the evidence behind it and what to do.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Summary">The verdict in one line.</param>
/// <param name="Evidence">The steps and figures it rests on.</param>
/// <param name="Suggestion">A concrete next step.</param>
/// <param name="FirstStep">The first step concerned, when the finding points at one.</param>
public sealed record HealthFinding(HealthKind Kind, HealthSeverity Severity, string Summary, string Evidence, string Suggestion, int? FirstStep = null)
{
    /// <summary>Whether the finding calls for action (a warning or an error).</summary>
    public bool IsProblem => Severity != HealthSeverity.Info;
}
