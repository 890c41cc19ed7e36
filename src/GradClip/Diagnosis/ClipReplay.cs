using System.Globalization;
using GradClip.Adaptive;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>
/// Counterfactual replay: what each clipping policy would have done to a run, from its logged gradient norms before
/// clipping and without retraining — fixed max_norm 0.5, 1 and 5, the run's own max_norm, fixed thresholds at the
/// trace's own percentiles, AutoClip and ZClip (their own state logic, fed the logged norms). For each: how often it
/// clips, its mean coefficient and which of the trace's spikes it caps.
/// </summary>
/// <remarks>
/// The replay keeps the norms as logged: a policy that had clipped would have changed the weights and so every later
/// norm, so the figures say how a policy meets this run's norms, not how a retrained run would go. Only logged, finite
/// norms are replayed (no policy repairs a NaN); on a sparse log (Hugging Face logs every logging_steps) AutoClip and
/// ZClip see only the logged steps. The percentile thresholds are hindsight: known only once the run is over.
/// </remarks>
/// <param name="StepsReplayed">How many finite logged norms were replayed.</param>
/// <param name="NonFiniteSteps">How many logged norms were NaN or ±∞ (left out).</param>
/// <param name="TotalSteps">How many steps the run took in all (more than the replayed ones on a sparse log).</param>
/// <param name="Spikes">The steps whose norm was at least <see cref="SpikeFactor"/> times the median of the logged norms before it.</param>
/// <param name="Policies">Each policy's replay, fixed thresholds first.</param>
public sealed record ClipReplay(int StepsReplayed, int NonFiniteSteps, int TotalSteps, IReadOnlyList<int> Spikes, IReadOnlyList<PolicyReplay> Policies)
{
    /// <summary>How many times the median of the recent norms a norm must reach to count as a spike (an order of magnitude).</summary>
    public const double SpikeFactor = 10;

    /// <summary>How many earlier logged norms a spike is compared with.</summary>
    public const int SpikeWindow = 20;

    /// <summary>The fixed thresholds every replay tries.</summary>
    public static readonly IReadOnlyList<double> FixedMaxNorms = [0.5, 1, 5];

    /// <summary>The percentiles of the trace's own norms tried as fixed thresholds.</summary>
    public static readonly IReadOnlyList<double> Percentiles = [50, 90, 99];

    /// <summary>Replays the policies over <paramref name="trace"/>'s logged norms before clipping.</summary>
    public static ClipReplay Of(RunTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var (steps, norms, nonFinite) = LoggedNorms(trace);
        var spikes = SpikeRows(norms);
        var policies = new List<PolicyReplay>();
        foreach (double maxNorm in FixedMaxNorms)
        {
            policies.Add(Fixed($"max_norm {Num(maxNorm)}", "A fixed threshold.", maxNorm, steps, norms, spikes));
        }
        if (trace.Setup.MaxNorm is { } own && !FixedMaxNorms.Contains(own))
        {
            policies.Add(Fixed($"max_norm {Num(own)}", "The run's own threshold.", own, steps, norms, spikes));
        }
        double[] sorted = [.. norms.Order()];
        foreach (double q in Percentiles)
        {
            double threshold = Percentile.OfSorted(sorted, q);
            if (threshold > 0)
            {
                policies.Add(Fixed($"p{Num(q)} = {Num(threshold)}", $"A fixed threshold at the {Num(q)}th percentile of this run's norms (hindsight).", threshold, steps, norms, spikes));
            }
        }
        var autoClip = new AutoClip();
        policies.Add(Replay($"AutoClip p{Num(autoClip.Percentile)}", $"The {Num(autoClip.Percentile)}th percentile of the norms seen so far (Seetharaman et al. 2020).", null, autoClip.Update, steps, norms, spikes));
        var zClip = new ZClip();
        policies.Add(Replay("ZClip", $"Norms above z = {Num(zClip.ZThreshold)} of an EMA mean and variance (α {Num(zClip.Alpha)}, {zClip.WarmupSteps} warm-up steps; Kumar et al. 2025).", null, zClip.Update, steps, norms, spikes));
        return new ClipReplay(norms.Count, nonFinite, trace.TotalSteps, [.. spikes.Select(row => steps[row])], policies);
    }

    private static (List<int> Steps, List<double> Norms, int NonFinite) LoggedNorms(RunTrace trace)
    {
        var steps = new List<int>(trace.NormBefore.LoggedCount);
        var norms = new List<double>(trace.NormBefore.LoggedCount);
        int nonFinite = 0;
        var column = trace.NormBefore;
        var values = column.Values;
        for (int row = 0; row < trace.Count; row++)
        {
            if (!column.IsLogged(row))
            {
                continue;
            }
            if (double.IsFinite(values[row]))
            {
                steps.Add(trace.Steps[row]);
                norms.Add(values[row]);
            }
            else
            {
                nonFinite++;
            }
        }
        return (steps, norms, nonFinite);
    }

    /// <summary>The indexes of the norms at least <see cref="SpikeFactor"/> times the median of the (up to) <see cref="SpikeWindow"/> before them.</summary>
    private static HashSet<int> SpikeRows(List<double> norms)
    {
        var spikes = new HashSet<int>();
        var window = new double[SpikeWindow];
        for (int i = 5; i < norms.Count; i++)
        {
            int count = Math.Min(i, SpikeWindow);
            norms.CopyTo(i - count, window, 0, count);
            Array.Sort(window, 0, count);
            double median = Percentile.OfSorted(new ArraySegment<double>(window, 0, count), 50);
            if (median > 0 && norms[i] >= SpikeFactor * median)
            {
                spikes.Add(i);
            }
        }
        return spikes;
    }

    private static PolicyReplay Fixed(string name, string description, double maxNorm, List<int> steps, List<double> norms, HashSet<int> spikes) =>
        Replay(name, description, maxNorm, norm => Clip.Coefficient(maxNorm, norm), steps, norms, spikes);

    private static PolicyReplay Replay(string name, string description, double? maxNorm, Func<double, double> coefficientOf, List<int> steps, List<double> norms, HashSet<int> spikes)
    {
        int clipped = 0;
        double sum = 0;
        var capped = new List<int>();
        for (int i = 0; i < norms.Count; i++)
        {
            double coefficient = coefficientOf(norms[i]);
            sum += coefficient;
            if (coefficient < 1)
            {
                clipped++;
                if (spikes.Contains(i))
                {
                    capped.Add(steps[i]);
                }
            }
        }
        return norms.Count == 0
            ? new PolicyReplay(name, description, maxNorm, 0, 0, 1, [])
            : new PolicyReplay(name, description, maxNorm, clipped, clipped / (double)norms.Count, sum / norms.Count, capped);
    }

    private static string Num(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
