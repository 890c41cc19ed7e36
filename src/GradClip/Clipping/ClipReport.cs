namespace GradClip.Clipping;

/// <summary>What a gradient transform did in one step: the norms it saw and left, and whether the step should go ahead.</summary>
/// <param name="NormBefore">The total gradient norm before the transform.</param>
/// <param name="NormAfter">The total gradient norm after it (computed from the same pass: before × coefficient).</param>
/// <param name="Coefficient">The factor the total norm was scaled by (after ÷ before; 1 when the transform does not scale).</param>
/// <param name="Clipped">Whether any gradient was changed.</param>
/// <param name="ParameterNorms">Each gradient's own norm before the transform, by parameter name (or <c>#position</c> when unnamed).</param>
/// <param name="NonFiniteParameters">The names of the parameters whose gradients held NaN or ±∞ before the transform.</param>
/// <param name="SkipStep">Whether the optimizer step should be skipped (set by the skip-step non-finite policy).</param>
public sealed record ClipReport(
    double NormBefore,
    double NormAfter,
    double Coefficient,
    bool Clipped,
    IReadOnlyDictionary<string, double> ParameterNorms,
    IReadOnlyList<string> NonFiniteParameters,
    bool SkipStep)
{
    /// <summary>Whether the gradients held NaN or ±∞ before the transform.</summary>
    public bool HasNonFinite => NonFiniteParameters.Count > 0;
}
