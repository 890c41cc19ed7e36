namespace GradClip.Diagnosis;

/// <summary>What one clipping policy would have done to a logged run's gradient norms.</summary>
/// <param name="Name">The policy in a word or two (<c>max_norm 1</c>, <c>p90</c>, <c>AutoClip p10</c>, <c>ZClip</c>).</param>
/// <param name="Description">How its threshold is set, in a sentence.</param>
/// <param name="MaxNorm">The fixed threshold, for a fixed policy; null for an adaptive one.</param>
/// <param name="ClippedSteps">How many of the replayed steps it would have clipped.</param>
/// <param name="ClipRate">The fraction of the replayed steps it would have clipped.</param>
/// <param name="MeanCoefficient">The mean factor it would have scaled the gradients by (1 when it never clips).</param>
/// <param name="CappedSpikes">The steps of the trace's spikes it would have clipped, in order.</param>
public sealed record PolicyReplay(
    string Name,
    string Description,
    double? MaxNorm,
    int ClippedSteps,
    double ClipRate,
    double MeanCoefficient,
    IReadOnlyList<int> CappedSpikes);
