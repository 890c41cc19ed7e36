using System.Globalization;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>
/// Suggests max_norm from the total gradient norms of a probe run without clipping: the 90th percentile, so that
/// ordinary steps pass untouched and only the unusual tenth is scaled down, beside AutoClip's 10th percentile and the
/// rule-of-thumb range for the kind of model.
/// </summary>
/// <remarks>
/// AutoClip (Seetharaman et al., 2020) clips to the 10th percentile, i.e. on about nine steps in ten: a strong cap that
/// acts as a regularizer for the source-separation networks it was tuned on. As a fixed max_norm for an unknown model
/// that is too aggressive (the over-clipping HealthCheck warns of), so it is listed, not suggested.
/// </remarks>
public static class MaxNormAdvisor
{
    /// <summary>The percentile of the probe norms suggested as max_norm.</summary>
    public const double SuggestedPercentile = 90;

    /// <summary>The percentile AutoClip clips to by default.</summary>
    public const double AutoClipPercentile = 10;

    /// <summary>The usual max_norm range for a kind of model: a starting point when no norms have been measured.</summary>
    public static (double Low, double High) RuleOfThumb(ModelKind kind) => kind switch
    {
        ModelKind.SmallFeedForward => (5, 10),
        ModelKind.DeepCnn => (1, 5),
        ModelKind.RecurrentNetwork => (0.25, 1),
        ModelKind.Transformer => (0.5, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown model kind {kind}."),
    };

    /// <summary>Advice from the norms before clipping of a probe run's step records.</summary>
    public static MaxNormAdvice Advise(IEnumerable<StepRecord> steps, ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(steps);
        return Advise(steps.Select(s => s.NormBefore), kind);
    }

    /// <summary>Advice from a probe run's total gradient norms; NaN and ±∞ are counted and left out.</summary>
    public static MaxNormAdvice Advise(IEnumerable<double> norms, ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(norms);
        var range = RuleOfThumb(kind);
        var finite = new List<double>();
        int nonFinite = 0;
        foreach (double norm in norms)
        {
            if (double.IsFinite(norm))
            {
                finite.Add(norm);
            }
            else
            {
                nonFinite++;
            }
        }
        finite.Sort();
        double p10 = Percentile.OfSorted(finite, AutoClipPercentile);
        double p50 = Percentile.OfSorted(finite, 50);
        double p90 = Percentile.OfSorted(finite, SuggestedPercentile);
        double max = finite.Count == 0 ? double.NaN : finite[^1];
        double suggested = p90 > 0 ? p90 : range.Low;
        var advice = new MaxNormAdvice(finite.Count, nonFinite, p10, p50, p90, max, suggested, kind, range, []);
        return advice with { Reasoning = Reasoning(advice) };
    }

    /// <summary>
    /// Advice for a policy-gradient agent from <paramref name="probes"/> clipped at several max_norms: the max_norm of the
    /// healthy probe whose return was highest over its second half (the smaller on a tie), else the smallest tried. Its norms grow with the
    /// return, so a percentile of them is no cap to suggest; the percentiles listed are the chosen probe's.
    /// </summary>
    /// <exception cref="ArgumentException">No probes.</exception>
    public static MaxNormAdvice AdviseFromReturns(IReadOnlyList<ReturnProbe> probes, ModelKind kind)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0)
        {
            throw new ArgumentException("Advice from returns needs at least one probe.", nameof(probes));
        }
        var learned = probes.Where(p => p.Healthy).OrderByDescending(p => p.LateReturn).ThenBy(p => p.MaxNorm).FirstOrDefault();
        var chosen = learned ?? probes.MinBy(p => p.MaxNorm)!;
        var advice = Advise(chosen.Norms, kind) with { SuggestedMaxNorm = chosen.MaxNorm, Probes = probes };
        return advice with { Reasoning = ReturnReasoning(advice, learned is not null) };
    }

    private static List<string> ReturnReasoning(MaxNormAdvice advice, bool learned)
    {
        var lines = advice.Probes.Select(p =>
            $"max_norm {Num(p.MaxNorm)}: mean return {Num(p.FirstReturn)} in the first epoch, best {Num(p.BestReturn)}, last {Num(p.FinalReturn)}, "
            + $"{Num(p.LateReturn)} on average over the second half; "
            + $"clipped on {Num(100 * p.ClipRate)} % of the steps; {(p.Healthy ? "healthy" : "not healthy: the return collapsed or never rose")}.").ToList();
        lines.Add(learned
            ? $"Suggested max_norm {Num(advice.SuggestedMaxNorm)}: of the probes the health check called healthy, its return was highest over the second half of the run."
            : $"No probe's return rose and held, so the suggestion is the smallest max_norm tried, {Num(advice.SuggestedMaxNorm)}; lower the learning rate (--lr) too.");
        lines.Add($"A policy gradient's norms grow with the return (median {Num(advice.P50)}, p90 {Num(advice.P90)} over the suggested probe's "
            + $"{advice.FiniteSteps} steps), so max_norm is chosen by the return each probe reached, not by a percentile of the norms.");
        var (low, high) = advice.RuleOfThumb;
        lines.Add($"The rule of thumb for {Describe(advice.ModelKind)} is {Num(low)}–{Num(high)}"
            + (advice.SuggestedMaxNorm < low ? "; the suggestion is below it." : advice.SuggestedMaxNorm > high ? "; the suggestion is above it." : "; the suggestion lies within it."));
        return lines;
    }

    private static List<string> Reasoning(MaxNormAdvice advice)
    {
        var lines = new List<string>();
        if (advice.NonFiniteSteps > 0)
        {
            int total = advice.FiniteSteps + advice.NonFiniteSteps;
            lines.Add($"{advice.NonFiniteSteps} of {total} norms were NaN or infinite and are left out: clipping cannot " +
                "repair those steps; lower the learning rate and look for the operation producing them.");
        }
        var (low, high) = advice.RuleOfThumb;
        string rule = $"The rule of thumb for {Describe(advice.ModelKind)} is {Num(low)}–{Num(high)}";
        if (!(advice.P90 > 0))
        {
            string why = advice.FiniteSteps == 0
                ? "No finite gradient norm was observed"
                : "The 90th percentile of the norms is 0 (were gradients computed?)";
            lines.Add($"{why}, so the suggestion falls back to the low end of the rule of thumb: max_norm {Num(advice.SuggestedMaxNorm)}.");
            lines.Add(rule + ".");
            return lines;
        }
        lines.Add($"Gradient norms over {advice.FiniteSteps} steps: p10 {Num(advice.P10)}, median {Num(advice.P50)}, " +
            $"p90 {Num(advice.P90)}, max {Num(advice.Max)}.");
        lines.Add($"Suggested max_norm {Num(advice.SuggestedMaxNorm)}, the 90th percentile: ordinary steps pass untouched " +
            "and only the largest tenth are scaled down.");
        lines.Add($"AutoClip's choice, the 10th percentile ({Num(advice.AutoClipMaxNorm)}), clips about nine steps in ten: " +
            "a much stronger cap; the AutoClip transform adapts it as training goes.");
        lines.Add(rule + Placement(advice.SuggestedMaxNorm, low, high));
        return lines;
    }

    private static string Placement(double suggested, double low, double high) =>
        suggested < low ? "; the suggestion is below it: a max_norm from that range would clip less than a tenth of the steps."
        : suggested > high ? "; the suggestion is above it: a max_norm from that range would clip more than a tenth of the steps."
        : "; the suggestion lies within it.";

    private static string Describe(ModelKind kind) => kind switch
    {
        ModelKind.SmallFeedForward => "a small feed-forward network",
        ModelKind.DeepCnn => "a deep CNN",
        ModelKind.RecurrentNetwork => "a recurrent network (RNN, LSTM, GRU)",
        ModelKind.Transformer => "a transformer",
        _ => kind.ToString(),
    };

    private static string Num(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
