using System.Globalization;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>
/// Turns a run's step records into verdicts with evidence and a suggestion, telling a healthy run from an exploding,
/// over-clipped or otherwise troubled one.
/// </summary>
public static class HealthCheck
{
    /// <summary>How many earlier steps a spike is compared against.</summary>
    private const int Window = 20;

    /// <summary>How many times the recent median norm counts as a gradient spike (two orders of magnitude).</summary>
    private const double GradientSpikeFactor = 100;

    /// <summary>How many times the recent median loss counts as a loss spike.</summary>
    private const double LossSpikeFactor = 3;

    /// <summary>How many times its recent median a gradient norm must rise for a loss jump to count as gradient-driven.</summary>
    private const double GradientRiseFactor = 3;

    /// <summary>The clip rate from which clipping counts as firing on nearly every step.</summary>
    private const double OverClipRate = 0.9;

    /// <summary>A mean clip coefficient below this scales every update to almost nothing, whatever the loss does.</summary>
    private const double TinyCoefficient = 0.01;

    /// <summary>How far above chance the final validation accuracy must be for the model to count as having learned.</summary>
    private const double AboveChance = 0.05;

    /// <summary>The fraction of the mean prediction's loss a regression model must remove to count as having learned.</summary>
    private const double AboveMean = 0.1;

    /// <summary>Diagnoses a run from its step records, its epoch summaries (for validation accuracy) and its setup.</summary>
    public static IReadOnlyList<HealthFinding> Diagnose(IReadOnlyList<StepRecord> steps, IReadOnlyList<EpochSummary> epochs, RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(setup);
        bool clippingEnabled = setup.ClippingEnabled;
        double? maxNorm = setup.MaxNorm;
        if (steps.Count == 0)
        {
            return [new HealthFinding(HealthKind.NotLearning, "No training step was recorded.", "0 steps.", "Check that the data has rows and the loop calls the monitor.")];
        }
        var run = new RunFigures(steps);
        var findings = new List<HealthFinding>();
        AddNonFinite(findings, run, clippingEnabled);
        AddGradientSpikes(findings, run, clippingEnabled);
        AddClippingFit(findings, run, clippingEnabled, maxNorm);
        AddLossSpikes(findings, run);
        AddChanceAccuracy(findings, run, epochs, setup);
        AddNotLearning(findings, run);
        if (findings.Count == 0)
        {
            findings.Add(Healthy(run, clippingEnabled, maxNorm));
        }
        return findings;
    }

    private static void AddNonFinite(List<HealthFinding> findings, RunFigures run, bool clippingEnabled)
    {
        var firstLoss = run.Steps.FirstOrDefault(s => !double.IsFinite(s.Loss));
        var firstGradient = run.Steps.FirstOrDefault(s => !double.IsFinite(s.NormBefore));
        if (firstLoss is null && firstGradient is null)
        {
            return;
        }
        var first = new[] { firstLoss, firstGradient }.Where(s => s is not null).MinBy(s => s!.Step)!;
        string parameters = firstGradient is { NonFiniteParameters.Count: > 0 }
            ? $"; the first gradients to go non-finite were {string.Join(", ", firstGradient.NonFiniteParameters.Take(5))} (step {firstGradient.Step})"
            : "";
        int count = run.Steps.Count(s => !double.IsFinite(s.Loss) || !double.IsFinite(s.NormBefore));
        string evidence = $"Step {first.Step} (epoch {first.Epoch}) had loss {Num(first.Loss)} and gradient norm {Num(first.NormBefore)}{parameters}; {count} of {run.Steps.Count} steps were non-finite.";
        findings.Add(clippingEnabled && firstLoss is not null
            ? new HealthFinding(HealthKind.ClippingIneffective,
                "The loss went non-finite although clipping was on.",
                evidence,
                "Clipping bounds the step, not the loss: lower the learning rate (try 10× smaller) and check the data for extreme values or wrong labels.",
                first.Step)
            : new HealthFinding(HealthKind.Exploding,
                "Gradients exploded to NaN or ∞.",
                evidence,
                clippingEnabled
                    ? "Clipping cannot scale a non-finite gradient: lower the learning rate and look for the operation producing NaN (log of 0, division by 0, overflow)."
                    : $"Turn on clipping by norm (max_norm about {Num(run.MedianNorm)}, the median norm seen) and lower the learning rate.",
                first.Step));
    }

    private static void AddGradientSpikes(List<HealthFinding> findings, RunFigures run, bool clippingEnabled)
    {
        // With clipping on, only a spike that clipping let through reached the weights: judge the norms after it, on the
        // steps it did not clip (a capped step's norm is max_norm, which may well be orders above the typical norm).
        Func<StepRecord, double> applied = clippingEnabled ? s => s.NormAfter : s => s.NormBefore;
        var spikes = run.Spikes(applied, GradientSpikeFactor).Where(spike => !(clippingEnabled && spike.Step.Clipped)).ToList();
        if (spikes.Count == 0)
        {
            return;
        }
        var worst = spikes.MaxBy(s => s.Ratio);
        findings.Add(new HealthFinding(HealthKind.Exploding,
            $"The gradient norm spiked by orders of magnitude {spikes.Count} time(s){(clippingEnabled ? ", and clipping let the spikes through" : "")}.",
            $"Step {worst.Step.Step}: norm {Num(applied(worst.Step))}{(clippingEnabled ? " after clipping" : "")}, {Num(worst.Ratio)}× the median of the {Window} steps before it; first spike at step {spikes[0].Step.Step}.",
            clippingEnabled
                ? $"The clipping threshold was above the spikes (or still warming up): clip by norm with a fixed max_norm near the typical norm ({Num(run.MedianNorm)})."
                : $"Clip by norm with max_norm near the typical norm ({Num(run.MedianNorm)}), so that spikes are cut and ordinary steps pass.",
            spikes[0].Step.Step));
    }

    private static void AddClippingFit(List<HealthFinding> findings, RunFigures run, bool clippingEnabled, double? maxNorm)
    {
        if (!clippingEnabled || findings.Count > 0)
        {
            return;
        }
        double clipRate = run.ClipRate;
        if (clipRate == 0)
        {
            findings.Add(new HealthFinding(HealthKind.ClippingIdle,
                "Clipping never fired.",
                $"0 of {run.Steps.Count} steps clipped; the largest norm was {Num(run.MaxNorm)}{Threshold(maxNorm)}.",
                $"It costs nothing but protects nothing: to cut only unusual steps, set max_norm near the 90th percentile of the norms seen, {Num(Percentile.Of(run.Norms, 90))}."));
        }
        else if (clipRate >= OverClipRate && (run.LossStalled || run.MeanCoefficient < TinyCoefficient))
        {
            double meanCoefficient = run.MeanCoefficient;
            string tiny = meanCoefficient < TinyCoefficient ? $" Updates were scaled to {Num(100 * meanCoefficient)} % of the gradient on average: almost nothing." : "";
            findings.Add(new HealthFinding(HealthKind.OverClipped,
                run.LossStalled ? "Clipping fired on nearly every step while the loss stalled." : "Clipping fired on nearly every step and scaled the updates to almost nothing.",
                $"{Num(100 * clipRate)} % of steps clipped{Threshold(maxNorm)}; median norm {Num(run.MedianNorm)}; loss {Num(run.EarlyLoss)} → {Num(run.LateLoss)}.{tiny}",
                $"Raise max_norm to about {Num(run.MedianNorm)} (the median norm), so that about half the steps pass unclipped."));
        }
    }

    private static void AddLossSpikes(List<HealthFinding> findings, RunFigures run)
    {
        // Only a batch worse than the untrained model's first batches counts: smaller jumps later in training are
        // mini-batch noise (or a learning rate on the high side), not a data problem. And a batch whose gradient also
        // rose several-fold is a gradient event, not a quiet-gradient one.
        var lossSpikes = run.Spikes(s => s.Loss, LossSpikeFactor)
            .Where(spike => spike.Step.Loss > run.InitialLoss)
            .Where(spike => !(spike.Step.NormBefore > GradientRiseFactor * run.MedianNormBefore(spike.Index)))
            .ToList();
        if (lossSpikes.Count == 0)
        {
            return;
        }
        var first = lossSpikes[0].Step;
        findings.Add(new HealthFinding(HealthKind.LossSpikeWithoutGradientSpike,
            $"The loss jumped {lossSpikes.Count} time(s) while the gradient norm stayed ordinary.",
            $"Step {first.Step}: loss {Num(first.Loss)}, {Num(lossSpikes[0].Ratio)}× the recent median, with gradient norm {Num(first.NormBefore)}.",
            "Gradients did not cause this: look at the batch behind that step for bad rows, wrong labels or unscaled features.",
            first.Step));
    }

    private static void AddChanceAccuracy(List<HealthFinding> findings, RunFigures run, IReadOnlyList<EpochSummary> epochs, RunSetup setup)
    {
        if (epochs.Count == 0 || findings.Any(f => f.Kind is HealthKind.Exploding or HealthKind.ClippingIneffective))
        {
            return;
        }
        string? evidence = ChanceEvidence(epochs, setup);
        if (evidence is null)
        {
            return;
        }
        var peak = run.Steps.Where(s => double.IsFinite(s.NormBefore)).MaxBy(s => s.NormBefore);
        string peakText = peak is null ? "" : $"; the gradient norm peaked at {Num(peak.NormBefore)} at step {peak.Step}, median {Num(run.MedianNorm)}";
        findings.Add(new HealthFinding(HealthKind.NotLearning,
            setup.ClassCount is null ? "The model predicts no better than the targets' mean." : "The model predicts no better than chance.",
            $"{evidence}{peakText}.",
            setup.ClippingEnabled
                ? "Lower the learning rate and check that the features are standardized; the early steps may have pushed the units into a dead region."
                : "Large early steps can leave ReLU units dead: turn on clipping by norm, lower the learning rate, and standardize the features.",
            peak?.Step));
    }

    /// <summary>What shows that the run ended no better than chance (or than predicting the mean), or null when it did better.</summary>
    private static string? ChanceEvidence(IReadOnlyList<EpochSummary> epochs, RunSetup setup)
    {
        if (setup.ClassCount is { } classes && epochs[^1].ValAccuracy is { } accuracy)
        {
            double chance = 1.0 / classes;
            return accuracy > chance + AboveChance ? null : $"Final validation accuracy {Num(accuracy)}, chance is {Num(chance)} for {classes} classes";
        }
        var losses = epochs.Select(e => e.ValLoss).OfType<double>().Where(double.IsFinite).ToList();
        if (setup.MeanPredictionLoss is not { } baseline || losses.Count == 0 || losses.Min() < (1 - AboveMean) * baseline)
        {
            return null;
        }
        return $"Best validation loss {Num(losses.Min())}; always predicting the training targets' mean scores {Num(baseline)}";
    }

    private static void AddNotLearning(List<HealthFinding> findings, RunFigures run)
    {
        if (findings.Count == 0 && run.LossStalled && run.Steps.Count >= 10)
        {
            findings.Add(new HealthFinding(HealthKind.NotLearning,
                "The loss did not fall.",
                $"Mean loss over the first tenth of the steps {Num(run.EarlyLoss)}, over the last tenth {Num(run.LateLoss)}.",
                "Clipping is not the cause: try a larger learning rate, more epochs or a larger model."));
        }
    }

    private static HealthFinding Healthy(RunFigures run, bool clippingEnabled, double? maxNorm)
    {
        double clipRate = run.ClipRate;
        int contained = run.Spikes(s => s.NormBefore, GradientSpikeFactor).Count;
        string clipping = clippingEnabled
            ? $"clipping fired on {Num(100 * clipRate)} % of steps{Threshold(maxNorm)}" + (contained > 0 ? $" and contained {contained} spike(s)" : "")
            : "no clipping";
        return new HealthFinding(HealthKind.Healthy,
            "Healthy: the loss fell smoothly with no exploding gradients.",
            $"Loss {Num(run.EarlyLoss)} → {Num(run.LateLoss)}; gradient norm median {Num(run.MedianNorm)}, max {Num(run.MaxNorm)}; {clipping}.",
            "Nothing to change.");
    }

    private static string Threshold(double? maxNorm) => maxNorm is { } m ? $" (max_norm {Num(m)})" : "";

    private static string Num(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "∞" : "-∞") : value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Figures of a run that several verdicts read.</summary>
    private sealed class RunFigures(IReadOnlyList<StepRecord> steps)
    {
        public IReadOnlyList<StepRecord> Steps { get; } = steps;

        public List<double> Norms { get; } = steps.Select(s => s.NormBefore).Where(double.IsFinite).ToList();

        public double MedianNorm => Percentile.Median(Norms);

        /// <summary>The fraction of steps clipping fired on.</summary>
        public double ClipRate => Steps.Count(s => s.Clipped) / (double)Steps.Count;

        public double MaxNorm => Norms.Count == 0 ? double.NaN : Norms.Max();

        public double MeanCoefficient => Steps.Select(s => s.Coefficient).Where(double.IsFinite).DefaultIfEmpty(1).Average();

        public double EarlyLoss => MeanLoss(Steps.Take(Tenth));

        /// <summary>The mean loss of the first five steps: the untrained model's level.</summary>
        public double InitialLoss => MeanLoss(Steps.Take(5));

        public double LateLoss => MeanLoss(Steps.Skip(Steps.Count - Tenth));

        /// <summary>Whether the late loss improved on the early loss by less than 10 % (or rose).</summary>
        public bool LossStalled => LateLoss > 0.9 * EarlyLoss;

        private int Tenth => Math.Max(1, Steps.Count / 10);

        /// <summary>The median norm before clipping of the steps before the one at <paramref name="index"/>.</summary>
        public double MedianNormBefore(int index) => Percentile.Median(Recent(index, s => s.NormBefore));

        /// <summary>
        /// Steps whose value exceeds <paramref name="factor"/> times the median of the steps before them and stands out from
        /// their spread (more than 6 median absolute deviations above), so that ordinary mini-batch noise is not a spike.
        /// </summary>
        public List<(int Index, StepRecord Step, double Ratio)> Spikes(Func<StepRecord, double> value, double factor)
        {
            var spikes = new List<(int, StepRecord, double)>();
            for (int i = 5; i < Steps.Count; i++)
            {
                var recent = Recent(i, value).ToList();
                double median = Percentile.Median(recent);
                double spread = Percentile.Median(recent.Select(r => Math.Abs(r - median)));
                double v = value(Steps[i]);
                if (double.IsFinite(v) && median > 0 && v > factor * median && v - median > 6 * spread)
                {
                    spikes.Add((i, Steps[i], v / median));
                }
            }
            return spikes;
        }

        private IEnumerable<double> Recent(int end, Func<StepRecord, double> value) =>
            Steps.Skip(Math.Max(0, end - Window)).Take(Math.Min(end, Window)).Select(value);

        private static double MeanLoss(IEnumerable<StepRecord> steps)
        {
            var finite = steps.Select(s => s.Loss).Where(double.IsFinite).ToList();
            return finite.Count == 0 ? double.NaN : finite.Average();
        }
    }
}
