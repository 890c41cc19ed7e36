using System.Globalization;
using GradClip.Clipping;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// What every training loop checkpoints and restores besides its own position: the model's weights, the optimizer's and
/// the clipping's state, and the best weights; and the non-finite handling all loops share. The data-table
/// <see cref="Trainer"/> and the policy-gradient trainer both keep theirs here.
/// </summary>
internal sealed class TrainingState(Module model, Optimizer optimizer, IGradientTransform clipping)
{
    /// <summary>A copy of the run's state now: weights, optimizer, clipping, best weights, the generator's and the records so far.</summary>
    public TrainingCheckpoint Checkpoint(GradientMonitor records, BestWeights best, GeneratorCheckpoint generator)
    {
        var named = model.NamedParameters();
        var bestWeights = best.Export();
        return new TrainingCheckpoint(
            records.Epochs.Count,
            records.StepsInCurrentEpoch,
            [.. named.Select(p => (p.Name, p.Parameter.Clone()))],
            optimizer.ExportState(),
            ClippingState.Of(clipping),
            best.Epoch,
            best.Loss,
            bestWeights is null ? null : [.. named.Select((p, i) => (p.Name, bestWeights[i]))],
            new ListPrefix<EpochSummary>(records.Epochs, records.Epochs.Count),
            new ListPrefix<StepRecord>(records.Steps, records.Steps.Count),
            generator);
    }

    /// <summary>
    /// Puts the checkpoint's weights, optimizer and clipping state and best weights back, after checking that they fit (the
    /// generator and the schedule are the loop's to restore).
    /// </summary>
    /// <exception cref="ArgumentException">The checkpoint is inconsistent or does not fit this model, optimizer or clipping.</exception>
    public void Restore(TrainingCheckpoint checkpoint, BestWeights best)
    {
        var named = model.NamedParameters();
        RequireFit(checkpoint.Weights, named, "weights");
        if (checkpoint.BestWeights is { } bestWeights)
        {
            RequireFit(bestWeights, named, "best weights");
        }
        if (checkpoint.Epochs.Count != checkpoint.Epoch || checkpoint.EpochStep < 0 || checkpoint.EpochStep > checkpoint.Steps.Count
            || checkpoint.BestEpoch > checkpoint.Epoch || (checkpoint.BestEpoch > 0) != (checkpoint.BestWeights is not null)
            || checkpoint.Generator.EpochStarts.Count != checkpoint.Epoch + (checkpoint.EpochStep > 0 ? 1 : 0))
        {
            throw new ArgumentException(
                $"The checkpoint is inconsistent: epoch {checkpoint.Epoch} with {checkpoint.Epochs.Count} epoch summaries, {checkpoint.EpochStep} of"
                + $" {checkpoint.Steps.Count} steps in the epoch under way, best epoch {checkpoint.BestEpoch} {(checkpoint.BestWeights is null ? "without" : "with")} best weights,"
                + $" the generator's start of {checkpoint.Generator.EpochStarts.Count} epochs.",
                "resumeFrom");
        }
        try
        {
            optimizer.ImportState(checkpoint.Optimizer);
            checkpoint.Clipping.ApplyTo(clipping);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The checkpoint does not fit this trainer: {ex.Message}", "resumeFrom", ex);
        }
        for (int i = 0; i < named.Count; i++)
        {
            checkpoint.Weights[i].Tensor.Span.CopyTo(named[i].Parameter.Span);
        }
        best.Import(checkpoint.BestEpoch, checkpoint.BestLoss, checkpoint.BestWeights?.Select(w => w.Tensor).ToList());
    }

    private static void RequireFit(IReadOnlyList<(string Name, Tensor Tensor)> saved, IReadOnlyList<(string Name, Tensor Parameter)> model, string what)
    {
        string Shapes(IEnumerable<(string Name, Tensor Tensor)> tensors) => string.Join(", ", tensors.Select(t => $"{t.Name}{t.Tensor.ShapeText}"));
        bool fits = saved.Count == model.Count
            && saved.Zip(model).All(pair => pair.First.Name == pair.Second.Name && pair.First.Tensor.HasShapeOf(pair.Second.Parameter));
        if (!fits)
        {
            throw new ArgumentException(
                $"The checkpoint's {what} are {Shapes(saved)}, but the model has {Shapes(model)}.", "resumeFrom");
        }
    }

    /// <summary>
    /// One optimizer step once the loss is known, as every loop takes it: a non-finite loss is skipped unless
    /// <paramref name="onNonFinite"/> propagates it; else Backward (when <paramref name="loss"/> is given: a data-parallel
    /// step has run its own), the monitored clipping, <paramref name="beforeUpdate"/> and the optimizer's step. Then the
    /// gradients are zeroed and the <paramref name="schedule"/> advances. Returns the step's record.
    /// </summary>
    public StepRecord Step(Tensor? loss, double lossValue, List<Tensor> parameters, GradientMonitor records, NonFiniteAction onNonFinite,
        LearningRateScheduler? schedule, Action<StepRecord>? beforeUpdate = null)
    {
        StepRecord record;
        if (!double.IsFinite(lossValue) && onNonFinite != NonFiniteAction.Propagate)
        {
            record = records.SkipStep(lossValue, optimizer.LearningRate);
        }
        else
        {
            loss?.Backward();
            record = records.Step(parameters, lossValue, optimizer.LearningRate);
            beforeUpdate?.Invoke(record);
            if (!record.Skipped)
            {
                optimizer.Step();
            }
        }
        optimizer.ZeroGrad();
        schedule?.Step();
        return record;
    }

    /// <summary>The clipping as the loop applies it: behind a guard that skips non-finite steps, unless they are to propagate.</summary>
    public static IGradientTransform Guarded(IGradientTransform clipping, NonFiniteAction onNonFinite) => onNonFinite == NonFiniteAction.Propagate
        ? clipping
        : new Chain(new NonFiniteGuard(NonFinitePolicy.SkipStep), clipping);

    /// <summary>Why the run stops at a skipped step, saying where the NaN or ∞ was (and, data-parallel, on which rank: <paramref name="origin"/>).</summary>
    public static string NonFiniteStop(StepRecord record, string? origin)
    {
        string where = record.NonFiniteParameters.Count > 0
            ? $"the gradients of {string.Join(", ", record.NonFiniteParameters.Take(3))} held NaN or ∞"
            : string.Create(CultureInfo.InvariantCulture, $"the loss was {record.Loss}");
        if (origin is not null)
        {
            where += $" ({origin})";
        }
        return $"Stopped at step {record.Step} (epoch {record.Epoch}): {where}. Try clipping by norm, a lower learning rate, or skipping such steps.";
    }

    /// <summary>Why the run stops after an epoch whose every step was skipped, or null when some step was taken.</summary>
    public static string? AllSkipped(EpochSummary summary) =>
        summary.Steps > 0 && summary.SkippedSteps == summary.Steps
            ? $"Stopped after epoch {summary.Epoch}: every step was non-finite and skipped, so training had diverged. Try clipping by norm or a lower learning rate."
            : null;
}
