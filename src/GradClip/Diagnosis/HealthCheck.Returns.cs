using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>The verdicts on a reinforcement-learning run: judged on its return and gradient norms, never on a falling loss.</summary>
public static partial class HealthCheck
{
    /// <summary>
    /// The fraction of its best epoch's return below which the final return counts as collapsed, when it is also back below
    /// <see cref="ReturnRise"/> times the first epoch's (a policy-gradient return swings from epoch to epoch; a collapse loses all it learned).
    /// </summary>
    private const double ReturnCollapse = 0.5;

    /// <summary>How many times its first epoch's return the best return must reach for the agent to count as having learned.</summary>
    private const double ReturnRise = 1.5;

    /// <summary>Whether the trace is of a run that reports the mean return of its episodes, whose policy-gradient loss need not fall.</summary>
    private static bool ReportsReturn(RunTrace trace) => trace.Epochs.Any(e => e.Metrics.ContainsKey(EpochMetric.MeanReturn.Name));

    /// <summary>The fewest epochs whose returns can show that an agent does not learn: a stall needs a trend, not a start.</summary>
    private const int ReturnTrendEpochs = 5;

    /// <summary>
    /// The fraction of the run's peak gradient norm under which every norm of the last epoch counts as vanished: the policy
    /// then picks its actions with certainty, so a policy gradient can no longer move it.
    /// </summary>
    private const double VanishedNorm = 1e-6;

    /// <summary>
    /// A policy-gradient run's verdicts: non-finite steps; else a collapse (the return fell back below where it started, after
    /// its best epoch or from the start, or the policy's gradients vanished); else a return that never rose (over-clipped
    /// when clipping fired on nearly every step, else not learning, once there are epochs enough to tell); else healthy.
    /// </summary>
    private static List<HealthFinding> DiagnoseReturn(TraceFigures run)
    {
        var findings = new List<HealthFinding>();
        AddNonFinite(findings, run);
        if (findings.Count > 0)
        {
            return findings;
        }
        var returns = run.Trace.Epochs.Where(e => e.Metrics.ContainsKey(EpochMetric.MeanReturn.Name))
            .Select(e => (e.Epoch, Value: e.Metrics[EpochMetric.MeanReturn.Name])).ToList();
        var first = returns[0];
        var best = returns.MaxBy(r => r.Value);
        var last = returns[^1];
        string trend = $"Mean return {Num(first.Value)} in epoch {Num(first.Epoch)}, best {Num(best.Value)} in epoch {Num(best.Epoch)}, {Num(last.Value)} in epoch {Num(last.Epoch)}";
        bool learned = best.Value >= ReturnRise * first.Value;
        bool Fell(double value) => learned ? value < ReturnCollapse * best.Value && !(value >= ReturnRise * first.Value) : value < first.Value / ReturnRise;
        var vanished = VanishedNorms(run, last.Epoch);
        if (Fell(last.Value) || vanished is not null)
        {
            double fallEpoch = returns.FirstOrDefault(r => r.Epoch > (learned ? best.Epoch : first.Epoch) && Fell(r.Value)).Epoch is > 0 and var e ? e : last.Epoch;
            findings.Add(ReturnCollapsed(run, trend + (vanished ?? ""), learned ? best.Epoch : 0, fallEpoch, vanished is not null));
        }
        else if (!learned)
        {
            findings.Add(returns.Count < ReturnTrendEpochs ? TooFewEpochs(run, trend, returns.Count) : ReturnStalled(run, trend));
        }
        else
        {
            findings.Add(new HealthFinding(HealthKind.Healthy, HealthSeverity.Info,
                "Healthy: the return rose with no collapse (a policy-gradient loss need not fall, so it is not judged).",
                $"{trend}; the gradient norm peaked at {NormPeakValue(run)}; {(ClippingSeen(run) && run.ClipRate is not null ? ClipRates(run) : "no clipping")}.",
                "Nothing to change."));
        }
        return findings;
    }

    /// <summary>
    /// Whether the run clipped: its setup says so, or (a log without one, e.g. an interrupted run's folder) a step was clipped.
    /// </summary>
    private static bool ClippingSeen(TraceFigures run) => run.Trace.Setup.ClippingEnabled || run.ClippedRows.Any(c => c == true);

    /// <summary>
    /// The evidence that the policy's gradients vanished in the epoch <paramref name="lastEpoch"/> (every norm under
    /// <see cref="VanishedNorm"/> times the run's peak), or null when they did not.
    /// </summary>
    private static string? VanishedNorms(TraceFigures run, double lastEpoch)
    {
        if (run.NormRows.Length == 0)
        {
            return null;
        }
        var peak = run.NormRows.MaxBy(r => r.Value);
        var lastNorms = run.NormRows.Where(r => run.Trace.Epoch[r.Row] is { } e && Math.Ceiling(e) == lastEpoch).ToList();
        return peak.Value > 0 && lastNorms.Count > 0 && lastNorms.All(r => r.Value <= VanishedNorm * peak.Value)
            ? $"; in epoch {Num(lastEpoch)} the gradient norm was at most {Num(lastNorms.Max(r => r.Value))}, against {Num(peak.Value)} at step {run.Step(peak.Row)}: the policy picks its actions with certainty"
            : null;
    }

    /// <summary>
    /// The return fell back below where it started (after its best epoch <paramref name="bestEpoch"/>, or 0 when it never
    /// rose) by epoch <paramref name="fallEpoch"/>, or the policy's gradients <paramref name="vanished"/>: the largest
    /// gradient step before the fall is the evidence, and the advice fits the clipping the run had.
    /// </summary>
    private static HealthFinding ReturnCollapsed(TraceFigures run, string evidence, double bestEpoch, double fallEpoch, bool vanished)
    {
        var before = run.NormRows.Where(r => run.Trace.Epoch[r.Row] is { } e && e > bestEpoch && e <= fallEpoch).ToList();
        // A policy that vanished without ever learning: the vanished norms' evidence already names the peak step.
        string step = before.Count == 0 || (vanished && bestEpoch == 0) ? "" : StepText(run, before.MaxBy(r => r.Value));
        bool fired = run.ClippedRows.Any(c => c == true);
        bool enabled = ClippingSeen(run);
        string clipping = fired ? " although clipping was on" : enabled ? " with clipping on but never firing" : " under unclipped gradient steps";
        string what = bestEpoch > 0 ? $"The return collapsed after epoch {Num(bestEpoch)}{clipping}: the policy lost what it had learned."
            : vanished ? $"The policy collapsed{clipping}: it picks its actions with certainty, so its gradients vanished and it cannot recover."
            : $"The return fell below its first epoch's{clipping}: the policy ended worse than it started.";
        var (low, high) = MaxNormAdvisor.RuleOfThumb(ModelKind.SmallFeedForward);
        string advice = (fired, run.Trace.Setup.Clipping) switch
        {
            (true, ClippingKind.Norm) => "Each step was still too long: lower max_norm or the learning rate (a step moves the weights by at most the learning rate times max_norm).",
            (true, ClippingKind.Value) => "Each step was still too large: lower clip_value or the learning rate.",
            _ => $"Clip by norm with a fixed max_norm (the rule of thumb for a small network is {Num(low)}–{Num(high)}) or lower the learning rate: "
                + (fired ? "an adaptive threshold follows the norms, which grow with the return, so it still let long steps through."
                    : enabled ? "the clipping did not cap the steps before the fall."
                    : "one long step can make the policy pick the same action always, and then it no longer explores and cannot recover."),
        };
        return new HealthFinding(HealthKind.Exploding, fired ? HealthSeverity.Warning : HealthSeverity.Error, what, $"{evidence}{step}.", advice,
            before.Count == 0 ? null : run.Step(before.MaxBy(r => r.Value).Row));
    }

    /// <summary>The return has not risen yet, over too few epochs to call that a stall.</summary>
    private static HealthFinding TooFewEpochs(TraceFigures run, string trend, int epochs) =>
        new(HealthKind.TooFewEpochs, HealthSeverity.Warning,
            $"Only {epochs} epoch{(epochs == 1 ? "" : "s")} of returns: too few to tell whether the agent learns.",
            $"{trend}; the gradient norm peaked at {NormPeakValue(run)}.",
            $"A policy-gradient return swings from epoch to epoch and may take several to rise: train for at least {ReturnTrendEpochs} epochs and judge again.");

    /// <summary>The return never rose to one and a half times its first epoch's.</summary>
    private static HealthFinding ReturnStalled(TraceFigures run, string trend)
    {
        bool overClipped = ClippingSeen(run) && run.ClipRateAfterWarmup >= FrequentClipRate;
        return overClipped
            ? new HealthFinding(HealthKind.OverClipped, HealthSeverity.Warning,
                "Clipping fired on nearly every step while the return stalled: the steps were too short to learn.",
                $"{trend}; {ClipRates(run)}; the median gradient norm was {Num(run.MedianNorm)}.",
                $"Raise max_norm towards the median gradient norm ({Num(run.MedianNorm)}), or raise the learning rate.")
            : new HealthFinding(HealthKind.NotLearning, HealthSeverity.Warning,
                "The return did not rise: the agent did not learn.",
                $"{trend}; the gradient norm peaked at {NormPeakValue(run)}.",
                "Train for more epochs or raise the learning rate; check that the rewards reach the policy (returns, discount).");
    }

    private static string StepText(TraceFigures run, (int Row, double Value) step)
    {
        double? after = run.Trace.NormAfter[step.Row];
        string capped = run.ClippedRows[step.Row] == true && after is { } a ? $", capped to {Num(a)}" : ", not clipped";
        double median = Percentile.Median(run.NormRows.Where(r => r.Row <= step.Row).Select(r => r.Value));
        return $"; the largest gradient step before the fall was at step {run.Step(step.Row)}, norm {Num(step.Value)} ({Num(step.Value / median)}× the median of the steps up to it){capped}";
    }
}
