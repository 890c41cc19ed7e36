using GradClip.Monitoring;
namespace GradClip.Diagnosis;

/// <summary>
/// A suggested max_norm for clipping by global norm, read off the gradient norms of a probe run without clipping, or for a
/// policy-gradient agent chosen by the returns of probes clipped at several max_norms (<see cref="Probes"/>).
/// </summary>
/// <param name="FiniteSteps">How many finite norms the advice rests on.</param>
/// <param name="NonFiniteSteps">How many NaN or infinite norms were left out.</param>
/// <param name="P10">The 10th percentile of the finite norms (NaN when there were none).</param>
/// <param name="P50">Their median.</param>
/// <param name="P90">Their 90th percentile.</param>
/// <param name="Max">The largest of them.</param>
/// <param name="SuggestedMaxNorm">The max_norm to use: <paramref name="P90"/>, or the rule of thumb's low end when that is not positive; for an agent, the max_norm of the probe that learned best.</param>
/// <param name="ModelKind">The kind of model the rule of thumb is for.</param>
/// <param name="RuleOfThumb">The usual max_norm range for that kind of model.</param>
/// <param name="Reasoning">Why, in lines a terminal can print (numbers in the invariant culture).</param>
public sealed record MaxNormAdvice(
    int FiniteSteps,
    int NonFiniteSteps,
    double P10,
    double P50,
    double P90,
    double Max,
    double SuggestedMaxNorm,
    ModelKind ModelKind,
    (double Low, double High) RuleOfThumb,
    IReadOnlyList<string> Reasoning)
{
    /// <summary>AutoClip's choice, <see cref="P10"/>: a cap that fires on about nine steps in ten.</summary>
    public double AutoClipMaxNorm => P10;

    /// <summary>The probes of a policy-gradient agent the suggestion was chosen from (their norms are the chosen one's percentiles); empty when the advice rests on norms alone.</summary>
    public IReadOnlyList<ReturnProbe> Probes { get; init; } = [];
}
