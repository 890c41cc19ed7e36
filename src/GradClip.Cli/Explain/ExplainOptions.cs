using GradClip.Cli.Common;

namespace GradClip.Cli.Explain;

/// <summary>The validated inputs of <c>gradclip explain</c>.</summary>
/// <param name="Gradients">One array per tensor (each <c>--grad</c> option).</param>
/// <param name="MaxNorm">The clipping threshold, finite and &gt; 0.</param>
/// <param name="NormType">The norm order p &gt; 0, or +∞.</param>
/// <param name="ClipValue">The bound for clipping by value, when asked for.</param>
public sealed record ExplainOptions(IReadOnlyList<float[]> Gradients, double MaxNorm, double NormType, double? ClipValue)
{
    /// <summary>Parses and checks the raw option texts, throwing <see cref="UsageException"/> naming the wrong option.</summary>
    public static ExplainOptions Parse(IReadOnlyList<string> gradients, string maxNorm, string normType, string? clipValue)
    {
        var grads = gradients.Select(g => NumberText.ParseList(g, "--grad")).ToArray();
        return new ExplainOptions(
            grads,
            PositiveFinite(maxNorm, "--max-norm"),
            NumberText.ParseNormType(normType, "--norm-type"),
            clipValue is null ? null : PositiveFinite(clipValue, "--clip-value"));
    }

    private static double PositiveFinite(string text, string option)
    {
        double value = NumberText.ParseFinite(text, option);
        if (value <= 0)
        {
            throw new UsageException(option, $"must be greater than zero, but was {text}.");
        }
        return value;
    }
}
