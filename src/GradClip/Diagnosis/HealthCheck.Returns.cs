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

    /// <summary>
    /// A policy-gradient run's verdicts: non-finite steps; else a collapse of the return after its best epoch, back below its
    /// start (exploding), a
    /// return that never rose (over-clipped when clipping fired on nearly every step, else not learning), or a rising one.
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
        if (last.Value < ReturnCollapse * best.Value && !(last.Value >= ReturnRise * first.Value))
        {
            var collapse = returns.First(r => r.Epoch > best.Epoch && r.Value < ReturnCollapse * best.Value && !(r.Value >= ReturnRise * first.Value));
            findings.Add(ReturnCollapsed(run, trend, best.Epoch, collapse.Epoch));
        }
        else if (!(best.Value >= ReturnRise * first.Value))
        {
            findings.Add(ReturnStalled(run, trend));
        }
        else
        {
            findings.Add(new HealthFinding(HealthKind.Healthy, HealthSeverity.Info,
                "Healthy: the return rose with no collapse (a policy-gradient loss need not fall, so it is not judged).",
                $"{trend}; the gradient norm peaked at {NormPeakValue(run)}; {(run.Trace.Setup.ClippingEnabled && run.ClipRate is not null ? ClipRates(run) : "no clipping")}.",
                "Nothing to change."));
        }
        return findings;
    }

    /// <summary>The return fell to under half its best: the largest gradient step between the best epoch and the fall is the evidence.</summary>
    private static HealthFinding ReturnCollapsed(TraceFigures run, string trend, double bestEpoch, double collapseEpoch)
    {
        var between = run.NormRows.Where(r => run.Trace.Epoch[r.Row] is { } e && e > bestEpoch && e <= collapseEpoch).ToList();
        var (low, high) = MaxNormAdvisor.RuleOfThumb(ModelKind.SmallFeedForward);
        string step = between.Count == 0 ? "" : StepText(run, between.MaxBy(r => r.Value));
        bool clipping = run.Trace.Setup.ClippingEnabled;
        return new HealthFinding(HealthKind.Exploding, clipping ? HealthSeverity.Warning : HealthSeverity.Error,
            $"The return collapsed after epoch {Num(bestEpoch)}{(clipping ? " although clipping was on" : " under unclipped gradient steps")}: the policy lost what it had learned.",
            $"{trend}{step}.",
            clipping
                ? "Each step was still too long: lower max_norm or the learning rate (a step moves the weights by at most the learning rate times max_norm)."
                : $"Clip by norm (the rule of thumb for a small network is max_norm {Num(low)}–{Num(high)}) or lower the learning rate: one long step can make the policy"
                  + " pick the same action always, and then it no longer explores and cannot recover.",
            between.Count == 0 ? null : run.Step(between.MaxBy(r => r.Value).Row));
    }

    /// <summary>The return never rose to one and a half times its first epoch's.</summary>
    private static HealthFinding ReturnStalled(TraceFigures run, string trend)
    {
        bool overClipped = run.Trace.Setup.ClippingEnabled && run.ClipRateAfterWarmup >= FrequentClipRate;
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
