using System.Globalization;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;

namespace GradClip.Training;

/// <summary>
/// The training loop of the seeds' pipeline: mini-batches through a model, <c>Backward()</c>, clipping (monitored),
/// <c>Step()</c>; validation after every epoch; the weights of the best epoch kept.
/// </summary>
public sealed class Trainer
{
    private readonly Module<Tensor, Tensor> _model;
    private readonly Optimizer _optimizer;
    private readonly IGradientTransform _clipping;
    private readonly TrainerOptions _options;

    /// <summary>Creates a trainer; <paramref name="clipping"/> is applied between Backward and Step (use <see cref="NoClip"/> for none).</summary>
    public Trainer(Module<Tensor, Tensor> model, Optimizer optimizer, IGradientTransform clipping, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(clipping);
        _options = options ?? new TrainerOptions();
        _options.Validate();
        _model = model;
        _optimizer = optimizer;
        _clipping = clipping;
    }

    /// <summary>
    /// Trains on the split's training rows of <paramref name="data"/> (standardized by <paramref name="standardizer"/> when
    /// given) and validates on its validation rows; <paramref name="onEpoch"/> hears of each epoch as it ends.
    /// </summary>
    /// <param name="data">The dataset.</param>
    /// <param name="split">Which rows train and which validate.</param>
    /// <param name="standardizer">Standardizes the features, or null to train on them as they are.</param>
    /// <param name="onEpoch">Hears of each epoch's summary as it ends.</param>
    /// <param name="resumeFrom">
    /// A checkpoint of an earlier run of the same model, optimizer, clipping and options to continue exactly where it
    /// stopped, or null to start afresh; the result then holds the earlier records too.
    /// </param>
    /// <param name="onCheckpoint">
    /// Gets a checkpoint after every <see cref="TrainerOptions.CheckpointEvery"/>-th epoch and the last one (when that
    /// option is set), and when <paramref name="cancellation"/> stops the run.
    /// </param>
    /// <param name="cancellation">
    /// Checked before each step: once cancelled, the run hands a checkpoint of the steps taken so far to
    /// <paramref name="onCheckpoint"/> and throws <see cref="OperationCanceledException"/>, leaving the model as trained so far.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="resumeFrom"/> does not fit this model, optimizer or clipping.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled before the run ended.</exception>
    public TrainingResult Fit(
        TabularData data,
        DataSplit split,
        Standardizer? standardizer,
        Action<EpochSummary>? onEpoch = null,
        TrainingCheckpoint? resumeFrom = null,
        Action<TrainingCheckpoint>? onCheckpoint = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        var batches = new TrainingBatches(data, standardizer);
        var validation = batches.Take(split.ValidationRows.AsSpan());
        var sampler = new BatchSampler(split.TrainRows, _options.BatchSize, _options.Seed);
        var parameters = _model.Parameters().ToList();
        var records = new GradientMonitor(GuardedClipping(), resumeFrom?.Steps ?? [], resumeFrom?.Epochs ?? []);
        var best = new BestWeights(parameters);
        if (resumeFrom is not null)
        {
            Restore(resumeFrom, best);
        }
        string? stopReason = null;
        for (int epoch = records.Epochs.Count + 1; epoch <= _options.Epochs && stopReason is null; epoch++)
        {
            _model.Train();
            foreach (var rows in sampler.Epoch(epoch - 1).Skip(records.StepsInCurrentEpoch))
            {
                if (cancellation.IsCancellationRequested)
                {
                    onCheckpoint?.Invoke(Checkpoint(records, best));
                    cancellation.ThrowIfCancellationRequested();
                }
                stopReason = TrainStep(batches.Take(rows.Span), parameters, records);
                if (stopReason is not null)
                {
                    break;
                }
            }
            var (valLoss, valAccuracy) = Evaluate(validation);
            var summary = records.EndEpoch(valLoss, valAccuracy);
            stopReason ??= AllSkipped(summary);
            best.Offer(summary.Epoch, split.ValidationRows.IsEmpty ? summary.TrainLoss : valLoss ?? double.NaN);
            onEpoch?.Invoke(summary);
            if (stopReason is null && _options.CheckpointEvery is { } every && (epoch % every == 0 || epoch == _options.Epochs))
            {
                onCheckpoint?.Invoke(Checkpoint(records, best));
            }
        }
        best.Restore();
        return new TrainingResult(records.Epochs, records.Steps, best.Epoch, stopReason);
    }

    /// <summary>A copy of the run's state now: weights, optimizer, clipping, best weights, position and records.</summary>
    private TrainingCheckpoint Checkpoint(GradientMonitor records, BestWeights best)
    {
        var named = _model.NamedParameters();
        var bestWeights = best.Export();
        return new TrainingCheckpoint(
            records.Epochs.Count,
            records.StepsInCurrentEpoch,
            [.. named.Select(p => (p.Name, p.Parameter.Clone()))],
            _optimizer.ExportState(),
            ClippingState.Of(_clipping),
            best.Epoch,
            best.Loss,
            bestWeights is null ? null : [.. named.Select((p, i) => (p.Name, bestWeights[i]))],
            new ListPrefix<EpochSummary>(records.Epochs, records.Epochs.Count),
            new ListPrefix<StepRecord>(records.Steps, records.Steps.Count));
    }

    /// <summary>Puts the checkpoint's weights, optimizer and clipping state and best weights back, after checking that they fit.</summary>
    private void Restore(TrainingCheckpoint checkpoint, BestWeights best)
    {
        if (DropoutLayers(_model, "").FirstOrDefault() is { } dropout)
        {
            throw new ArgumentException(
                $"The model's layer '{dropout}' is a Dropout, whose masks come from a System.Random that a checkpoint cannot capture,"
                + " so a resumed run could not repeat an uninterrupted one.", "resumeFrom");
        }
        var named = _model.NamedParameters();
        RequireFit(checkpoint.Weights, named, "weights");
        if (checkpoint.BestWeights is { } bestWeights)
        {
            RequireFit(bestWeights, named, "best weights");
        }
        if (checkpoint.Epochs.Count != checkpoint.Epoch || checkpoint.EpochStep < 0 || checkpoint.EpochStep > checkpoint.Steps.Count
            || checkpoint.BestEpoch > checkpoint.Epoch || (checkpoint.BestEpoch > 0) != (checkpoint.BestWeights is not null))
        {
            throw new ArgumentException(
                $"The checkpoint is inconsistent: epoch {checkpoint.Epoch} with {checkpoint.Epochs.Count} epoch summaries, {checkpoint.EpochStep} of"
                + $" {checkpoint.Steps.Count} steps in the epoch under way, best epoch {checkpoint.BestEpoch} {(checkpoint.BestWeights is null ? "without" : "with")} best weights.",
                "resumeFrom");
        }
        try
        {
            _optimizer.ImportState(checkpoint.Optimizer);
            checkpoint.Clipping.ApplyTo(_clipping);
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

    /// <summary>The names of the Dropout layers in <paramref name="module"/>: the only layers that draw random numbers while training.</summary>
    private static IEnumerable<string> DropoutLayers(Module module, string name) =>
        module is Dropout ? [name] : module.NamedChildren().SelectMany(c => DropoutLayers(c.Module, name.Length == 0 ? c.Name : $"{name}.{c.Name}"));

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

    private IGradientTransform GuardedClipping() => _options.OnNonFinite == NonFiniteAction.Propagate
        ? _clipping
        : new Chain(new NonFiniteGuard(NonFinitePolicy.SkipStep), _clipping);

    private string? TrainStep(Batch batch, List<Tensor> parameters, GradientMonitor records)
    {
        var loss = Loss(_model.Forward(batch.Features), batch);
        double lossValue = loss.Item();
        StepRecord record;
        if (!double.IsFinite(lossValue) && _options.OnNonFinite != NonFiniteAction.Propagate)
        {
            record = records.SkipStep(lossValue, _optimizer.LearningRate);
        }
        else
        {
            loss.Backward();
            record = records.Step(parameters, lossValue, _optimizer.LearningRate);
            if (!record.Skipped)
            {
                _optimizer.Step();
            }
        }
        _optimizer.ZeroGrad();
        return record.Skipped && _options.OnNonFinite == NonFiniteAction.Stop ? NonFiniteStop(record) : null;
    }

    private (double? Loss, double? Accuracy) Evaluate(Batch batch)
    {
        if (batch.Rows == 0)
        {
            return (null, null);
        }
        _model.Eval();
        using var _ = Tensor.NoGrad();
        var output = _model.Forward(batch.Features);
        double loss = Loss(output, batch).Item();
        if (batch.Labels is null)
        {
            return (loss, null);
        }
        int[] predicted = output.ArgMax(1);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == batch.Labels[i] ? 1 : 0;
        }
        return (loss, correct / (double)batch.Rows);
    }

    private static Tensor Loss(Tensor output, Batch batch) =>
        batch.Labels is { } labels ? Tensor.CrossEntropy(output, labels) : Tensor.MseLoss(output, batch.Targets!);

    private static string NonFiniteStop(StepRecord record)
    {
        string where = record.NonFiniteParameters.Count > 0
            ? $"the gradients of {string.Join(", ", record.NonFiniteParameters.Take(3))} held NaN or ∞"
            : string.Create(CultureInfo.InvariantCulture, $"the loss was {record.Loss}");
        return $"Stopped at step {record.Step} (epoch {record.Epoch}): {where}. Try clipping by norm, a lower learning rate, or skipping such steps.";
    }

    private static string? AllSkipped(EpochSummary summary) =>
        summary.Steps > 0 && summary.SkippedSteps == summary.Steps
            ? $"Stopped after epoch {summary.Epoch}: every step was non-finite and skipped, so training had diverged. Try clipping by norm or a lower learning rate."
            : null;
}
