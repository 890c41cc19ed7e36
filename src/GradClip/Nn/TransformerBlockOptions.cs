namespace GradClip.Nn;

/// <summary>How a <see cref="TransformerBlock"/> is wired; the defaults are the pre-LayerNorm, causal block without dropout.</summary>
/// <param name="NormFirst">LayerNorm before each branch (pre-norm, as GPT-2) rather than after each residual sum (post-norm, as the original Transformer).</param>
/// <param name="Dropout">The probability with which each branch's output elements are dropped in training, in [0, 1).</param>
/// <param name="Causal">Whether each position attends to itself and earlier positions only.</param>
public sealed record TransformerBlockOptions(bool NormFirst = true, float Dropout = 0f, bool Causal = true)
{
    /// <summary>The drop probability, checked to lie in [0, 1).</summary>
    public float Dropout { get; init; } = Dropout >= 0f && Dropout < 1f
        ? Dropout
        : throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "A TransformerBlock's dropout probability must lie in [0, 1).");
}
