using System.Globalization;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>
/// Turns a run trace into verdicts with a severity, evidence and a suggestion, telling a healthy run from an exploding,
/// over-clipped, vanishing, overfitting or otherwise troubled one. The one judge of every run: GradClip's own and any log.
/// </summary>
public static partial class HealthCheck
{
    /// <summary>How many times the recent median norm counts as a gradient spike (two orders of magnitude).</summary>
    private const double GradientSpikeFactor = 100;

    /// <summary>How many times the recent median loss counts as a loss spike.</summary>
    private const double LossSpikeFactor = 5;

    /// <summary>For a loss jump to point at its batch: how many times its recent median the gradient norm may be at the step before.</summary>
    private const double GradientRiseFactor = 3;

    /// <summary>The clip rate after warm-up from which clipping counts as firing on nearly every step.</summary>
    private const double FrequentClipRate = 0.9;

    /// <summary>How far above chance the final validation accuracy must be for the model to count as having learned.</summary>
    private const double AboveChance = 0.05;

    /// <summary>The fraction of the mean prediction's loss a regression model must remove to count as having learned.</summary>
    private const double AboveMean = 0.1;

    /// <summary>The ratio of the first layer's gradient norm to the last's below which gradients count as vanishing.</summary>
    private const double VanishingRatio = 1e-3;

    /// <summary>How many times the initial loss the late loss must reach to count as diverged.</summary>
    private const double DivergedLoss = 1.2;

    /// <summary>How many times the initial loss a loss held over several steps must reach to count as blown up.</summary>
    private const double SustainedPeak = 5;

    /// <summary>How many times the final training loss the final validation loss must be for the model to overfit (a gap).</summary>
    private const double OverfitGap = 2;

    /// <summary>How many times the best validation loss so far a later one must reach to count as a jump.</summary>
    private const double ValidationJump = 10;

    /// <summary>
    /// How far above its best the final validation loss, and the median of the three or more after the best, must be, with
    /// the training loss lower, to count as overfitting.
    /// </summary>
    private const double OverfitRise = 1.1;

    /// <summary>
    /// For a sparse log of interval means: how many times its lowest logged loss before the last tenth the last tenth must
    /// reach (and rise above it by a twentieth of the first tenth) to count as diverged, the untrained level being unseen.
    /// </summary>
    private const double AboveBest = 2;

    /// <summary>For a sparse log of interval means: how many times both neighbours an interval's mean loss must be to count as a jump.</summary>
    private const double IntervalJump = 1.5;

    /// <summary>How many logged losses a sparse log needs for its loss trend to be judged (the tenths of the run).</summary>
    private const int TrendRows = 10;

    /// <summary>
    /// Diagnoses a run from its trace, most severe verdict first; <paramref name="describeBatch"/>, when given, describes
    /// the data behind a step (e.g. the CSV lines of its batch) for a verdict that points at the data.
    /// </summary>
    public static IReadOnlyList<HealthFinding> Diagnose(RunTrace trace, Func<int, string?>? describeBatch = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Count == 0)
        {
            return [new HealthFinding(HealthKind.NotLearning, HealthSeverity.Error, "No training step was recorded.", "0 steps.",
                "Check that the data has rows and that the loop records its steps.")];
        }
        var run = new TraceFigures(trace);
        if (ReportsReturn(trace))
        {
            return DiagnoseReturn(run);
        }
        var findings = new List<HealthFinding>();
        AddNonFinite(findings, run);
        AddDivergence(findings, run);
        AddGradientSpikes(findings, run);
        AddVanishing(findings, run);
        AddClippingFit(findings, run);
        AddValidation(findings, run);
        AddLossSpikes(findings, run, describeBatch);
        AddChanceAccuracy(findings, run);
        AddNotLearning(findings, run);
        if (run.Sparse && run.LossRows.Length < TrendRows && !findings.Any(f => f.IsProblem))
        {
            // Too few logged losses for any trend check to have run: neither healthy nor an idle threshold is shown.
            findings.Insert(0, TooFewSteps(run));
        }
        else if (!findings.Any(f => f.IsProblem || f.Kind == HealthKind.ClippingIdle))
        {
            // A sparse log is called healthy only on a loss that clearly fell: a spike between its rows is unseen.
            findings.Insert(0, run.Sparse && !run.LossFellWell ? TooFewSteps(run) : Healthy(run));
        }
        return [.. findings.OrderByDescending(f => f.Severity)];
    }

    /// <summary>The verdict a run is scored by: the first of its most severe verdicts.</summary>
    public static HealthFinding Primary(IReadOnlyList<HealthFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentOutOfRangeException.ThrowIfZero(findings.Count);
        var worst = findings.Max(f => f.Severity);
        return findings.First(f => f.Severity == worst);
    }

    private static bool Has(List<HealthFinding> findings, params HealthKind[] kinds) => findings.Any(f => kinds.Contains(f.Kind));

    private static void AddNonFinite(List<HealthFinding> findings, TraceFigures run)
    {
        var trace = run.Trace;
        int? firstLoss = FirstNonFinite(trace.Loss), firstNorm = FirstNonFinite(trace.NormBefore);
        if (firstLoss is null && firstNorm is null)
        {
            return;
        }
        int row = Math.Min(firstLoss ?? int.MaxValue, firstNorm ?? int.MaxValue);
        string layers = firstNorm is { } normRow && trace.LayerNorms.Where(c => IsNonFinite(c, normRow)).Select(c => c.Name).Take(5).ToList() is { Count: > 0 } names
            ? $"; the first gradients to go non-finite were {string.Join(", ", names)} (step {run.Step(normRow)})"
            : "";
        string evidence = $"Step {run.Step(row)} had loss {Num(trace.Loss[row])} and gradient norm {Num(trace.NormBefore[row])}{layers}.";
        bool clipping = trace.Setup.ClippingEnabled;
        findings.Add(clipping && firstLoss is not null
            ? new HealthFinding(HealthKind.ClippingIneffective, HealthSeverity.Error,
                "The loss went non-finite although clipping was on.",
                evidence,
                "Clipping bounds the step, not the loss: lower the learning rate (try 10× smaller) and check the data for extreme values.",
                run.Step(row))
            : new HealthFinding(HealthKind.Exploding, HealthSeverity.Error,
                "Gradients exploded to NaN or ∞.",
                evidence,
                clipping
                    ? "Clipping cannot scale a non-finite gradient: lower the learning rate and look for the operation producing NaN (log of 0, division by 0, overflow)."
                    : $"Turn on clipping by norm (max_norm about {Num(run.MedianNorm)}, the median norm seen) and lower the learning rate.",
                run.Step(row)));
    }

    private static int? FirstNonFinite(TraceColumn column)
    {
        for (int row = 0; row < column.Count; row++)
        {
            if (IsNonFinite(column, row))
            {
                return row;
            }
        }
        return null;
    }

    private static bool IsNonFinite(TraceColumn column, int row) => column[row] is { } v && !double.IsFinite(v);

    /// <summary>
    /// A loss that ended above the untrained model's level, held five times it over several steps, or jumped about without
    /// ever falling below it: the run diverged.
    /// </summary>
    private static void AddDivergence(List<HealthFinding> findings, TraceFigures run)
    {
        if (Has(findings, HealthKind.Exploding, HealthKind.ClippingIneffective) || run.LossRows.Length < 10)
        {
            return;
        }
        double initial = run.InitialLoss;
        var peak = run.SustainedLossPeak();
        bool rose = run.LossTenth(9) > DivergedLoss * initial;
        bool neverFell = run.LossTenth(9) > 0.9 * initial && peak.Value > 2 * initial;
        // A sparse log's first loss already averages the first interval, so the untrained level is unseen: the lowest loss before the
        // last tenth stands in.
        var best = run.LossRows.Take(run.LossRows.Length * 9 / 10).MinBy(r => r.Value);
        bool aboveBest = run.LossInterval > 1 && run.LossTenth(9) > AboveBest * best.Value && run.LossTenth(9) - best.Value > 0.05 * run.LossTenth(0);
        if (!(initial > 0) || !(rose || neverFell || aboveBest || peak.Value > SustainedPeak * initial))
        {
            return;
        }
        var first = run.LossRows[0];
        var last = run.LossRows[^1];
        string lowest = aboveBest ? $", its lowest {Num(best.Value)} at step {run.Step(best.Row)}" : "";
        string evidence = $"Loss {Num(first.Value)} at step {run.Step(first.Row)}{lowest}, {Num(peak.Value)} at step {run.Step(peak.Row)}, {Num(last.Value)} at step {run.Step(last.Row)}{NormPeak(run)}.";
        findings.Add(run.Trace.Setup.ClippingEnabled
            ? new HealthFinding(HealthKind.ClippingIneffective, HealthSeverity.Error,
                rose ? "The loss rose although clipping capped the updates: the learning rate is too high."
                    : aboveBest ? "The loss ended far above its lowest although clipping capped the updates: the learning rate is too high."
                    : neverFell ? "The loss jumped about and never fell although clipping capped the updates: the learning rate is too high."
                    : "The loss blew up although clipping capped the updates: the learning rate is too high.",
                evidence,
                "Clipping bounds each step to the learning rate times the threshold, and that step is still too large: lower the learning rate (try 10× smaller).",
                run.Step(peak.Row))
            : new HealthFinding(HealthKind.Exploding, HealthSeverity.Error,
                "The loss diverged.",
                evidence,
                $"Clip by norm (max_norm about {Num(run.MedianNorm)}, the median norm seen) and lower the learning rate.",
                run.Step(peak.Row)));
    }

    private static string NormPeak(TraceFigures run)
    {
        if (run.NormRows.Length == 0)
        {
            return "";
        }
        var peak = run.NormRows.MaxBy(r => r.Value);
        return $"; the gradient norm peaked at {Num(peak.Value)} at step {run.Step(peak.Row)}";
    }

    private static void AddGradientSpikes(List<HealthFinding> findings, TraceFigures run)
    {
        if (FirstNonFinite(run.Trace.Loss) is not null)
        {
            return;
        }
        var spikes = run.Spikes(run.NormRows, GradientSpikeFactor);
        if (spikes.Count == 0 && run.NormRows.Length > 0)
        {
            // Norms that explode on the very first steps have no calm steps before them: compare the peak with the run's median.
            var peak = run.NormRows.Select((r, i) => (r, i)).MaxBy(p => p.r.Value);
            if (peak.r.Value > GradientSpikeFactor * run.MedianNorm)
            {
                spikes.Add(new Spike(peak.i, peak.r.Row, peak.r.Value, run.MedianNorm));
            }
        }
        if (spikes.Count == 0)
        {
            return;
        }
        var passed = spikes.Where(s => run.ClippedRows[s.Row] != true).ToList();
        var capped = spikes.Where(s => run.ClippedRows[s.Row] == true).ToList();
        if (passed.Count > 0 && !Has(findings, HealthKind.Exploding))
        {
            findings.Add(SpikeFinding(run, passed, capped: false));
        }
        if (capped.Count > 0)
        {
            findings.Add(SpikeFinding(run, capped, capped: true));
        }
    }

    private static HealthFinding SpikeFinding(TraceFigures run, List<Spike> spikes, bool capped)
    {
        var worst = spikes.MaxBy(s => s.Ratio);
        var (recovered, lossText) = LossAfter(run, worst.Row);
        bool clipping = run.Trace.Setup.ClippingEnabled;
        string count = spikes.Count == 1 ? "once" : $"{spikes.Count} times";
        string before = worst.Row > 0 ? $", after {Num(run.Trace.NormBefore[worst.Row - 1])} at step {run.Step(worst.Row - 1)}" : "";
        string evidence = $"Step {run.Step(worst.Row)}: gradient norm {Num(worst.Value)}{before}{(capped ? $", capped to {Num(run.Trace.NormAfter[worst.Row])}" : "")}; {lossText}";
        if (capped)
        {
            return new HealthFinding(HealthKind.GradientSpike, recovered ? HealthSeverity.Info : HealthSeverity.Warning,
                $"The gradient norm spiked by two orders of magnitude {count}; clipping capped it and the loss {(recovered ? "recovered" : "did not recover")}.",
                evidence,
                recovered
                    ? "Clipping did its job here; nothing to change for the spike."
                    : "Clipping capped the step, but the loss stayed high: lower the learning rate, or look at what the model saw just before the spike.",
                run.Step(spikes[0].Row));
        }
        // A run that recovered the loss but ended no better than chance still failed.
        bool atChance = run.Trace.Epochs.Count > 0 && ChanceEvidence(run.Trace.Epochs, run.Trace.Setup) is not null;
        string outcome = !recovered ? "the loss did not recover"
            : atChance ? $"the loss came back down, but the model ended no better than {NoBetterThan(run.Trace.Setup)}"
            : "the loss recovered";
        return new HealthFinding(HealthKind.Exploding, !recovered || atChance ? HealthSeverity.Error : HealthSeverity.Warning,
            $"The gradient norm spiked by two orders of magnitude {count}{(clipping ? " and clipping let it through" : "")}; {outcome}.",
            evidence,
            clipping
                ? $"The clipping threshold was above the spike (or still warming up): clip by norm with a fixed max_norm near the typical norm ({Num(run.MedianNorm)})."
                : $"Clip by norm with max_norm near the typical norm ({Num(run.MedianNorm)}), so that spikes are cut and ordinary steps pass.",
            run.Step(spikes[0].Row));
    }

    /// <summary>
    /// Whether the loss came back to its level before <paramref name="row"/> (or, for a spike among the first steps, below
    /// the untrained level) within <see cref="TraceFigures.Window"/> rows, and the losses that show it.
    /// </summary>
    private static (bool Recovered, string Text) LossAfter(TraceFigures run, int row)
    {
        var losses = run.LossRows;
        int at = Array.FindIndex(losses, r => r.Row >= row);
        if (at < 0 || at >= losses.Length - 1)
        {
            return (false, "the run ended before the loss could show whether it recovered.");
        }
        var recent = losses.Skip(Math.Max(0, at - TraceFigures.Window)).Take(Math.Min(at, TraceFigures.Window)).Select(r => r.Value).ToList();
        double level = at < TraceFigures.Window ? Math.Max(Percentile.Median(recent.DefaultIfEmpty(0)), run.InitialLoss) : Percentile.Median(recent);
        var after = losses.Skip(at + 1).Take(TraceFigures.Window).ToArray();
        var prior = losses[Math.Max(0, at - 1)];
        var later = after[^1];
        string text = $"the loss was {Num(prior.Value)} at step {run.Step(prior.Row)} and {Num(later.Value)} at step {run.Step(later.Row)}";
        if (Percentile.Median(after.Select(r => r.Value)) <= 1.5 * level)
        {
            return (true, text + ".");
        }
        // A loss kept high for a while after the spike that later fell below its level before it recovered all the same:
        // the run's last window of losses is what says so, and its last loss is the figure shown.
        var end = losses.Skip(Math.Max(at + 1, losses.Length - TraceFigures.Window)).ToArray();
        bool recoveredLater = end.Length > 0 && end[0].Row > later.Row && Percentile.Median(end.Select(r => r.Value)) <= level;
        return recoveredLater
            ? (true, $"{text}, then fell back to {Num(end[^1].Value)} by step {run.Step(end[^1].Row)}.")
            : (false, text + ".");
    }

    private static void AddVanishing(List<HealthFinding> findings, TraceFigures run)
    {
        if (Has(findings, HealthKind.Exploding, HealthKind.ClippingIneffective) || !(run.LossStalled || run.LossTenth(9) > 0.9 * run.InitialLoss))
        {
            return;
        }
        var layers = run.Trace.LayerNorms.Where(c => c.Name.EndsWith("weight", StringComparison.Ordinal)).ToList();
        if (layers.Count < 2)
        {
            return;
        }
        var (first, last) = (layers[0], layers[^1]);
        var ratios = new List<(int Row, double Ratio)>();
        for (int row = run.Warmup; row < run.Trace.Count; row++)
        {
            if (first[row] is { } a && last[row] is { } b && double.IsFinite(a) && b > 0 && double.IsFinite(b))
            {
                ratios.Add((row, a / b));
            }
        }
        if (ratios.Count == 0)
        {
            return;
        }
        var sorted = ratios.OrderBy(r => r.Ratio).ToList();
        var typical = sorted[sorted.Count / 2];
        if (typical.Ratio >= VanishingRatio)
        {
            return;
        }
        int row0 = typical.Row;
        findings.Add(new HealthFinding(HealthKind.VanishingGradients, HealthSeverity.Error,
            "Gradients vanish before they reach the first layers, and the loss stayed flat.",
            $"Step {run.Step(row0)}: {first.Name} had gradient norm {Num(first[row0])}, {last.Name} {Num(last[row0])}; {LossTrend(run)}.",
            "Clipping cannot help: it only ever shrinks gradients. Use ReLU-family activations, He/Xavier initialization, normalization layers or residual connections, or fewer layers.",
            run.Step(row0)));
    }

    private static void AddClippingFit(List<HealthFinding> findings, TraceFigures run)
    {
        var setup = run.Trace.Setup;
        if (!setup.ClippingEnabled || findings.Any(f => f.Severity == HealthSeverity.Error) || run.ClipRate is not { } clipRate)
        {
            return;
        }
        if (clipRate == 0)
        {
            findings.Add(new HealthFinding(HealthKind.ClippingIdle, HealthSeverity.Info,
                "Clipping never fired.",
                $"No step clipped{Threshold(setup)}; the gradient norm peaked at {NormPeakValue(run)}.",
                IdleAdvice(run)));
            return;
        }
        if (run.ClipRateAfterWarmup is not { } late || late < FrequentClipRate)
        {
            return;
        }
        string rates = ClipRates(run);
        var (step, effective) = TypicalStep(run);
        if (!run.LossFellWell)
        {
            findings.Add(new HealthFinding(HealthKind.OverClipped, HealthSeverity.Warning,
                run.LossStillFalling
                    ? "Clipping fired on nearly every step and the loss was still crawling down when the run ended: the threshold held the run back."
                    : "Clipping fired on nearly every step while the loss barely fell: the threshold is too small.",
                $"{Capitalized(rates)}; {LossTrend(run)}.{step}",
                OverClipAdvice(run) + effective));
        }
        else
        {
            findings.Add(new HealthFinding(HealthKind.FrequentClipping, HealthSeverity.Info,
                "Clipping fired on nearly every step after warm-up, so it set the step size; the loss still fell well.",
                $"{Capitalized(rates)}; {LossTrend(run)}.{step}",
                "Fine as it is: clipping is the step-size limiter here, as is usual for recurrent networks." + effective + " A larger threshold or learning rate may train faster."));
        }
    }

    /// <summary>
    /// A typical step after warm-up (the median clip coefficient): what clipping did to it, as the step's own figures, and
    /// the effective learning rate that follows (the learning rate times the coefficient), empty when not logged.
    /// </summary>
    private static (string Evidence, string EffectiveRate) TypicalStep(TraceFigures run)
    {
        var trace = run.Trace;
        var rows = Enumerable.Range(run.Warmup, trace.Count - run.Warmup)
            .Where(r => trace.NormBefore[r] is { } b && trace.NormAfter[r] is { } a && trace.LearningRate[r] is not null && b > 0 && double.IsFinite(a) && double.IsFinite(b))
            .Select(r => (Row: r, Coefficient: trace.NormAfter[r]!.Value / trace.NormBefore[r]!.Value))
            .OrderBy(r => r.Coefficient)
            .ToList();
        if (rows.Count == 0)
        {
            return ("", "");
        }
        var (row, coefficient) = rows[rows.Count / 2];
        double lr = trace.LearningRate[row]!.Value;
        return ($" At step {run.Step(row)}, a typical one, clipping scaled the gradient by {Num(coefficient)} (norm {Num(trace.NormBefore[row])} to {Num(trace.NormAfter[row])}) at learning rate {Num(lr)}.",
            $" The effective learning rate was about {Num(lr * coefficient)} (the learning rate times the clip coefficient).");
    }

    private static string IdleAdvice(TraceFigures run) => run.Trace.Setup.Clipping switch
    {
        ClippingKind.Norm => $"It costs nothing but protects nothing: to cut only unusual steps, set max_norm near the 90th percentile of the norms seen, {Num(Percentile.Of(run.NormRows.Select(r => r.Value), 90))}.",
        ClippingKind.Value => "It costs nothing but protects nothing: no gradient element ever reached clip_value; a smaller clip_value would cut the largest ones.",
        _ => "The adaptive threshold stayed above every norm: nothing to change unless spikes appear.",
    };

    private static string OverClipAdvice(TraceFigures run) => run.Trace.Setup.Clipping switch
    {
        ClippingKind.Norm => $"Raise max_norm to about {Num(run.MedianNorm)} (the median norm before clipping), so that about half the steps pass unclipped; or train longer.",
        ClippingKind.Value => "Raise clip_value, so that most gradient elements pass unclamped; or train longer.",
        _ => "Loosen the adaptive threshold (a higher percentile or z threshold), so that ordinary steps pass; or train longer.",
    };

    private static void AddLossSpikes(List<HealthFinding> findings, TraceFigures run, Func<int, string?>? describeBatch)
    {
        if (findings.Any(f => f.Severity == HealthSeverity.Error))
        {
            return;
        }
        if (run.LossInterval > 1)
        {
            AddIntervalLossSpike(findings, run);
            return;
        }
        var trace = run.Trace;
        var losses = run.LossRows;
        // Evidence that points at the batch, not at the weights: the loss of this batch alone is worse than the untrained
        // model's, the next batch's is back to normal, the step before moved the weights no more than usual, and the
        // gradient rose less than the loss did and by less than a spike (a gradient spike would be the weights' doing).
        var spikes = run.Spikes(losses, LossSpikeFactor).Where(spike =>
            spike.Value > run.InitialLoss
            && spike.Index + 1 < losses.Length
            && losses[spike.Index + 1].Value <= 2 * spike.RecentMedian
            && spike.Row > 0 && GradientRise(run, spike.Row - 1) <= GradientRiseFactor
            && GradientRise(run, spike.Row) < Math.Min(spike.Ratio, GradientSpikeFactor)).ToList();
        if (spikes.Count == 0)
        {
            return;
        }
        var spike = spikes[0];
        var (prior, next) = (losses[spike.Index - 1], losses[spike.Index + 1]);
        int step = run.Step(spike.Row);
        string batch = describeBatch?.Invoke(step) is { } text ? $" ({text})" : "";
        findings.Add(new HealthFinding(HealthKind.LossSpikeWithoutGradientSpike, HealthSeverity.Warning,
            spikes.Count == 1
                ? $"The loss jumped at step {step} for one batch while the gradient norm stayed ordinary."
                : $"The loss jumped for single batches {spikes.Count} times, first at step {step}, while the gradient norm stayed ordinary.",
            $"Step {step}: loss {Num(spike.Value)}, after {Num(prior.Value)} at step {run.Step(prior.Row)}, and back to {Num(next.Value)} at step {run.Step(next.Row)}; gradient norm {Num(trace.NormBefore[spike.Row])} at step {step}, {Num(trace.NormBefore[prior.Row])} at step {run.Step(prior.Row)}.",
            $"The weights were fine before and after, so the batch was not: look at the batch of step {step}{batch} for bad rows, wrong labels or unscaled features.",
            step));
    }

    /// <summary>
    /// On a sparse log of interval means, one batch's loss spike shows diluted in its interval's mean: an interval whose mean
    /// stands above both neighbours by more than six times the typical change between logged losses, as if one of its batches
    /// had a loss <see cref="LossSpikeFactor"/> times theirs and worse than the untrained model's, while the logged gradient
    /// norms stayed ordinary.
    /// </summary>
    private static void AddIntervalLossSpike(List<HealthFinding> findings, TraceFigures run)
    {
        var losses = run.LossRows;
        for (int i = 1; i + 1 < losses.Length; i++)
        {
            var (prior, at, next) = (losses[i - 1], losses[i], losses[i + 1]);
            double around = (prior.Value + next.Value) / 2;
            int steps = run.Step(at.Row) - run.Step(prior.Row);
            double batch = around + steps * (at.Value - around);
            if (!(at.Value > IntervalJump * Math.Max(prior.Value, next.Value)) || !(at.Value - around > 6 * TypicalChange(losses, i))
                || !(batch > LossSpikeFactor * around) || !(batch > run.InitialLoss)
                || GradientRise(run, prior.Row) > GradientRiseFactor || !(GradientRise(run, at.Row) < Math.Min(batch / around, GradientSpikeFactor)))
            {
                continue;
            }
            var trace = run.Trace;
            int from = run.Step(prior.Row) + 1, step = run.Step(at.Row);
            findings.Add(new HealthFinding(HealthKind.LossSpikeWithoutGradientSpike, HealthSeverity.Warning,
                $"The mean loss of steps {from}–{step} jumped while the logged gradient norms stayed ordinary: as if one batch among them had a loss near {Num(batch)}.",
                $"Steps {from}–{step}: mean loss {Num(at.Value)}, after {Num(prior.Value)} at step {run.Step(prior.Row)} and back to {Num(next.Value)} at step {run.Step(next.Row)}; gradient norm {Num(trace.NormBefore[at.Row])} at step {step}, {Num(trace.NormBefore[prior.Row])} at step {run.Step(prior.Row)}; {trace.Count} of {trace.TotalSteps} steps logged.",
                $"The weights were fine before and after, so a batch was not: look at the batches of steps {from}–{step} for bad rows, wrong labels or unscaled features (log every step to name the one).",
                step));
            return;
        }
    }

    /// <summary>The median absolute change between consecutive losses over the <see cref="TraceFigures.Window"/> rows before <paramref name="index"/>.</summary>
    private static double TypicalChange((int Row, double Value)[] losses, int index)
    {
        int from = Math.Max(1, index - TraceFigures.Window);
        return Percentile.Median(Enumerable.Range(from, index - from).Select(i => Math.Abs(losses[i].Value - losses[i - 1].Value)).DefaultIfEmpty(0));
    }

    /// <summary>How many times its recent median the gradient norm at <paramref name="row"/> was (1 when not logged, ∞ when not finite).</summary>
    private static double GradientRise(TraceFigures run, int row)
    {
        if (run.Trace.NormBefore[row] is not { } norm)
        {
            return 1;
        }
        int at = Array.FindIndex(run.NormRows, r => r.Row >= row);
        if (!double.IsFinite(norm) || at < 0)
        {
            return double.PositiveInfinity;
        }
        double median = Percentile.Median(run.NormRows.Skip(Math.Max(0, at - TraceFigures.Window)).Take(Math.Min(at, TraceFigures.Window)).Select(r => r.Value));
        return median > 0 ? norm / median : 1;
    }

    private static void AddValidation(List<HealthFinding> findings, TraceFigures run)
    {
        var epochs = run.Trace.Epochs.Where(e => e.ValLoss is { } v && double.IsFinite(v)).ToList();
        if (epochs.Count < 2)
        {
            return;
        }
        var jump = FindJump(epochs);
        if (jump is var (from, to))
        {
            var final = epochs[^1];
            bool stayed = final.ValLoss > ValidationJump / 3 * from.ValLoss;
            findings.Add(new HealthFinding(HealthKind.ValidationLossJump, stayed ? HealthSeverity.Warning : HealthSeverity.Info,
                $"The validation loss jumped by orders of magnitude{(stayed ? " and stayed high" : ", then came back")}.",
                $"Validation loss {Num(from.ValLoss)} after epoch {Num(from.Epoch)}, {Num(to.ValLoss)} after epoch {Num(to.Epoch)}, {Num(final.ValLoss)} after epoch {Num(final.Epoch)}.",
                Has(findings, HealthKind.ClippingIneffective, HealthKind.Exploding)
                    ? "The same instability as the training loss: lower the learning rate."
                    : "Some steps moved the weights far: lower the learning rate, or clip by norm near the typical norm.",
                to.Step));
            return;
        }
        if (findings.Any(f => f.Severity == HealthSeverity.Error))
        {
            return;
        }
        var best = epochs.MinBy(e => e.ValLoss!.Value)!;
        var last = epochs[^1];
        var later = epochs.Skip(epochs.IndexOf(best) + 1).Select(e => e.ValLoss!.Value).ToList();
        if (later.Count < 3 || !(last.ValLoss > OverfitRise * best.ValLoss) || !(Percentile.Median(later) > OverfitRise * best.ValLoss)
            || TrainLoss(run, last) is not { } trainLast
            || TrainLoss(run, best) is not { } trainBest || !(trainLast < trainBest) || !(last.ValLoss > OverfitGap * trainLast))
        {
            return;
        }
        findings.Add(new HealthFinding(HealthKind.Overfitting, HealthSeverity.Warning,
            "The model overfits: the validation loss rose while the training loss fell.",
            $"Validation loss {Num(best.ValLoss)} after epoch {Num(best.Epoch)}, {Num(last.ValLoss)} after epoch {Num(last.Epoch)}; training loss {Num(trainBest)} → {Num(trainLast)}.",
            $"Clipping is not the cause: keep the weights of epoch {Num(best.Epoch)} (stop early), or add data, weight decay or dropout.",
            best.Step));
    }

    private static (EpochRecord From, EpochRecord To)? FindJump(List<EpochRecord> epochs)
    {
        var best = epochs[0];
        foreach (var e in epochs.Skip(1))
        {
            if (e.ValLoss > ValidationJump * best.ValLoss && best.ValLoss > 0)
            {
                return (best, e);
            }
            best = e.ValLoss < best.ValLoss ? e : best;
        }
        return null;
    }

    /// <summary>The epoch's training loss as logged, or the median loss of the rows up to its step.</summary>
    private static double? TrainLoss(TraceFigures run, EpochRecord epoch)
    {
        if (epoch.TrainLoss is { } logged)
        {
            return logged;
        }
        if (epoch.Step is not { } step)
        {
            return null;
        }
        var rows = run.LossRows.Where(r => run.Step(r.Row) <= step).TakeLast(TraceFigures.Window).Select(r => r.Value).ToList();
        return rows.Count == 0 ? null : Percentile.Median(rows);
    }

    private static void AddChanceAccuracy(List<HealthFinding> findings, TraceFigures run)
    {
        var epochs = run.Trace.Epochs;
        if (epochs.Count == 0 || Has(findings, HealthKind.Exploding, HealthKind.ClippingIneffective, HealthKind.VanishingGradients))
        {
            return;
        }
        string? evidence = ChanceEvidence(epochs, run.Trace.Setup);
        if (evidence is null)
        {
            return;
        }
        var setup = run.Trace.Setup;
        // Clipping on nearly every step while the model stayed at chance: the threshold, not the learning rate, held it back.
        bool overClipped = Has(findings, HealthKind.OverClipped);
        findings.RemoveAll(f => f.Kind is HealthKind.OverClipped or HealthKind.FrequentClipping);
        findings.Add(new HealthFinding(HealthKind.NotLearning, HealthSeverity.Error,
            setup.ClassCount is null && setup.UnigramLoss is null ? "The model predicts no better than the targets' mean." : $"The model predicts no better than {NoBetterThan(setup)}.",
            overClipped ? $"{evidence}; {ClipRates(run)}{NormPeak(run)}." : $"{evidence}{NormPeak(run)}.",
            Baseline(setup) + ChanceAdvice(run, overClipped),
            run.NormRows.Length == 0 ? null : run.Step(run.NormRows.MaxBy(r => r.Value).Row)));
    }

    /// <summary>What to change for a run that ended at chance: train longer, loosen an over-tight threshold, or step more gently.</summary>
    private static string ChanceAdvice(TraceFigures run, bool overClipped) =>
        run.LossStillFalling ? "The loss was still falling when the run ended: train for more epochs."
        : overClipped ? "Clipping shrank nearly every step, so the model barely moved. " + OverClipAdvice(run)
        : run.Trace.Setup.UnigramLoss is not null
            ? run.Trace.Setup.ClippingEnabled
                ? "Try a smaller learning rate, or a warm-up: the early steps may have knocked the model onto a plateau it did not leave."
                : $"Large early steps can knock a model onto a plateau it does not leave: turn on clipping by norm (max_norm about {Num(run.MedianNorm)}, the median norm seen) and lower the learning rate."
        : run.Trace.Setup.ClippingEnabled ? "Check that the features are standardized and try a smaller learning rate; the early steps may have pushed the units into a dead region."
        : "Large early steps can leave ReLU units dead: turn on clipping by norm, lower the learning rate, and standardize the features.";

    /// <summary>What a model that learned nothing matches: chance, the targets' mean, or a language's unigram frequencies.</summary>
    private static string NoBetterThan(RunSetup setup) =>
        setup.ClassCount is not null ? "chance"
        : setup.UnigramLoss is not null ? "the unigram baseline (each token predicted by its frequency alone)"
        : "predicting the mean";

    /// <summary>What shows that the run ended no better than chance (or than predicting the mean, or the unigram baseline), or null when it did better.</summary>
    private static string? ChanceEvidence(IReadOnlyList<EpochRecord> epochs, RunSetup setup)
    {
        if (setup.ClassCount is { } classes && epochs[^1].ValAccuracy is { } accuracy)
        {
            double chance = 1.0 / classes;
            return accuracy > chance + AboveChance ? null : $"Final validation accuracy {Num(accuracy)}, no better than guessing a class";
        }
        var losses = epochs.Select(e => e.ValLoss).OfType<double>().Where(double.IsFinite).ToList();
        if ((setup.UnigramLoss ?? setup.MeanPredictionLoss) is not { } baseline || losses.Count == 0 || losses.Min() < (1 - AboveMean) * baseline)
        {
            return null;
        }
        return setup.UnigramLoss is not null
            ? $"Best validation loss {Num(losses.Min())} (perplexity {Num(Math.Exp(losses.Min()))}), no better than the unigram baseline's {Num(baseline)} (perplexity {Num(Math.Exp(baseline))})"
            : $"Best validation loss {Num(losses.Min())}, no better than always predicting the training targets' mean";
    }

    /// <summary>The level a model that learned nothing scores, as the start of a suggestion.</summary>
    private static string Baseline(RunSetup setup) =>
        setup.ClassCount is { } classes ? $"Chance accuracy is {Num(1.0 / classes)} for {classes} classes. "
        : setup.UnigramLoss is { } unigram ? $"Predicting each token by its training frequency scores a validation loss of {Num(unigram)} (perplexity {Num(Math.Exp(unigram))}). "
        : setup.MeanPredictionLoss is { } mean ? $"Predicting the mean scores a validation loss of {Num(mean)}. "
        : "";

    private static void AddNotLearning(List<HealthFinding> findings, TraceFigures run)
    {
        if (findings.Any(f => f.IsProblem) || !run.LossStalled)
        {
            return;
        }
        findings.Add(new HealthFinding(HealthKind.NotLearning, HealthSeverity.Error,
            "The loss did not fall.",
            $"{LossTrend(run)}.",
            "Clipping is not the cause: try a larger learning rate, more epochs or a larger model."));
    }

    private static HealthFinding Healthy(TraceFigures run)
    {
        var setup = run.Trace.Setup;
        string clipping = !setup.ClippingEnabled ? "no clipping"
            : run.ClipRate is null ? "clipping on, its decisions not logged"
            : ClipRates(run);
        string unseen = run.Sparse ? $"; {run.Trace.Count} of {run.Trace.TotalSteps} steps logged, so a one-batch gradient spike between them cannot be seen" : "";
        return new HealthFinding(HealthKind.Healthy, HealthSeverity.Info,
            "Healthy: the loss fell with no exploding gradients.",
            $"{Capitalized(LossTrend(run))}; the gradient norm peaked at {NormPeakValue(run)}; {clipping}{unseen}.",
            "Nothing to change.");
    }

    /// <summary>A sparse log with too few losses to judge the loss trend, or no clear fall: a warning, never healthy.</summary>
    private static HealthFinding TooFewSteps(TraceFigures run) =>
        new(HealthKind.TooFewStepsLogged, HealthSeverity.Warning,
            $"Only {run.Trace.Count} of {run.Trace.TotalSteps} steps were logged: too few to tell a healthy run from a failed one.",
            $"{Capitalized(LossTrend(run))}; the gradient norm peaked at {NormPeakValue(run)} among the logged steps.",
            $"A spike between logged steps cannot be seen, and {run.LossRows.Length} logged losses show no clear fall: log at least every {Math.Max(1, run.Trace.TotalSteps / (10 * TrendRows))} steps (logging_steps) and diagnose again.");

    /// <summary>How the training loss went: from the epoch records when they hold it, else from the first and last logged steps.</summary>
    private static string LossTrend(TraceFigures run)
    {
        var epochs = run.Trace.Epochs.Where(e => e.TrainLoss is not null).ToList();
        if (epochs.Count >= 2)
        {
            return $"training loss {Num(epochs[0].TrainLoss)} in epoch {Num(epochs[0].Epoch)}, {Num(epochs[^1].TrainLoss)} in epoch {Num(epochs[^1].Epoch)}";
        }
        if (run.LossRows.Length == 0)
        {
            return "no finite loss logged";
        }
        var (first, last) = (run.LossRows[0], run.LossRows[^1]);
        return $"loss {Num(first.Value)} at step {run.Step(first.Row)}, {Num(last.Value)} at step {run.Step(last.Row)}";
    }

    /// <summary>The clip rate per epoch (as GradClip's epoch table shows it), or over the steps seen when epochs are not logged.</summary>
    private static string ClipRates(TraceFigures run)
    {
        var trace = run.Trace;
        if (trace.Epoch.LoggedCount < trace.Count)
        {
            return $"clipping fired on {Num(100 * run.ClipRate)} % of the {trace.Count} steps seen{Threshold(trace.Setup)}";
        }
        var rates = Enumerable.Range(0, trace.Count)
            .Where(r => run.ClippedRows[r] is not null)
            .GroupBy(r => (int)Math.Ceiling(trace.Epoch[r]!.Value))
            .Select(g => (Epoch: g.Key, Rate: g.Count(r => run.ClippedRows[r] == true) / (double)g.Count()))
            .ToList();
        var (low, high) = (rates.MinBy(r => r.Rate), rates.MaxBy(r => r.Rate));
        return low.Rate == high.Rate
            ? $"clipping fired on {Num(100 * low.Rate)} % of the steps of every epoch{Threshold(trace.Setup)}"
            : $"clipping fired on {Num(100 * low.Rate)} % (epoch {low.Epoch}) to {Num(100 * high.Rate)} % (epoch {high.Epoch}) of an epoch's steps{Threshold(trace.Setup)}";
    }

    private static string NormPeakValue(TraceFigures run)
    {
        if (run.NormRows.Length == 0)
        {
            return "an unknown value (not logged)";
        }
        var peak = run.NormRows.MaxBy(r => r.Value);
        return $"{Num(peak.Value)} at step {run.Step(peak.Row)}";
    }

    private static string Threshold(RunSetup setup) => setup switch
    {
        { Clipping: ClippingKind.Norm, MaxNorm: { } m } => $" (max_norm {Num(m)}{(setup.MaxNormAssumed ? ", the default, assumed" : "")})",
        { Clipping: ClippingKind.Value, ClipValue: { } c } => $" (clip_value {Num(c)})",
        _ => "",
    };

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Num(double? value) => value switch
    {
        null => "not logged",
        double v when double.IsNaN(v) => "NaN",
        double v when double.IsInfinity(v) => v > 0 ? "∞" : "-∞",
        double v => v.ToString("G3", CultureInfo.InvariantCulture),
    };
}
