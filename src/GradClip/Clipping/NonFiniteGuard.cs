using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>
/// Applies a <see cref="NonFinitePolicy"/> to gradients holding NaN or ±∞ (optax's <c>apply_if_finite</c>, and more),
/// counting the steps it found them in. Put it first in a <see cref="Chain"/>.
/// </summary>
public sealed class NonFiniteGuard : IGradientTransform
{
    /// <summary>Creates a guard with the given policy.</summary>
    public NonFiniteGuard(NonFinitePolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, $"Unknown non-finite policy {policy}.");
        }
        Policy = policy;
    }

    /// <summary>What the guard does when it finds NaN or ±∞.</summary>
    public NonFinitePolicy Policy { get; }

    /// <summary>How many steps so far had gradients holding NaN or ±∞.</summary>
    public int NonFiniteSteps { get; private set; }

    /// <summary>How many of those came one after another, ending with the latest step (0 after a finite step).</summary>
    public int ConsecutiveNonFiniteSteps { get; private set; }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double norm = set.MeasurePowerSums(2);
        var norms = GradientMeasure.ParameterNorms(set, 2);
        var nonFinite = GradientMeasure.NonFiniteLabels(set);
        var unchanged = new ClipReport(norm, norm, 1, Clipped: false, norms, nonFinite, SkipStep: false);
        if (nonFinite.Count == 0)
        {
            ConsecutiveNonFiniteSteps = 0;
            return unchanged;
        }
        NonFiniteSteps++;
        ConsecutiveNonFiniteSteps++;
        return Policy switch
        {
            NonFinitePolicy.Throw => throw NonFiniteReport.Exception(set, 2, norm,
                "To go on despite it, use another NonFinitePolicy (SkipStep, ZeroNonFinite or Propagate)."),
            NonFinitePolicy.SkipStep => unchanged with { SkipStep = true },
            NonFinitePolicy.ZeroNonFinite => ZeroAndReport(set, norm, norms, nonFinite),
            _ => unchanged,
        };
    }

    private static ClipReport ZeroAndReport(GradientSet set, double before, IReadOnlyDictionary<string, double> norms, IReadOnlyList<string> nonFinite)
    {
        double sumSquaresAfter = 0;
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            var span = set.Buffers[i].Span;
            if (!double.IsFinite(set.Partials[i]))
            {
                Updates.ZeroNonFinite(span);
                sumSquaresAfter += Reductions.SumSquares(span);
            }
            else
            {
                sumSquaresAfter += set.Partials[i];
            }
        }
        double after = Math.Sqrt(sumSquaresAfter);
        return new ClipReport(before, after, Coefficient: 1, Clipped: true, norms, nonFinite, SkipStep: false);
    }
}
