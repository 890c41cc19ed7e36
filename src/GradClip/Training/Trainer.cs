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
    public TrainingResult Fit(TabularData data, DataSplit split, Standardizer? standardizer, Action<EpochSummary>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        var batches = new TrainingBatches(data, standardizer);
        var sampler = new BatchSampler(split.TrainRows, _options.BatchSize, _options.Seed);
        var parameters = _model.Parameters().ToList();
        var monitor = new GradientMonitor(GuardedClipping());
        var best = new BestWeights(parameters);
        string? stopReason = null;
        for (int epoch = 1; epoch <= _options.Epochs && stopReason is null; epoch++)
        {
            _model.Train();
            foreach (var rows in sampler.Epoch(epoch - 1))
            {
                stopReason = TrainStep(batches.Take(rows.Span), parameters, monitor);
                if (stopReason is not null)
                {
                    break;
                }
            }
            var (valLoss, valAccuracy) = Evaluate(batches.Take(split.ValidationRows.AsSpan()));
            var summary = monitor.EndEpoch(valLoss, valAccuracy);
            stopReason ??= AllSkipped(summary);
            best.Offer(summary.Epoch, split.ValidationRows.IsEmpty ? summary.TrainLoss : valLoss ?? double.NaN);
            onEpoch?.Invoke(summary);
        }
        best.Restore();
        var setup = new RunSetup(_clipping is not NoClip, (_clipping as ClipByGlobalNorm)?.MaxNorm, data.Task == TaskKind.Classification ? data.ClassCount : null);
        var findings = HealthCheck.Diagnose(monitor.Steps, monitor.Epochs, setup);
        return new TrainingResult(monitor.Epochs, monitor.Steps, best.Epoch, stopReason, findings);
    }

    private IGradientTransform GuardedClipping() => _options.OnNonFinite == NonFiniteAction.Propagate
        ? _clipping
        : new Chain(new NonFiniteGuard(NonFinitePolicy.SkipStep), _clipping);

    private string? TrainStep(Batch batch, List<Tensor> parameters, GradientMonitor monitor)
    {
        var loss = Loss(_model.Forward(batch.Features), batch);
        double lossValue = loss.Item();
        StepRecord record;
        if (!double.IsFinite(lossValue) && _options.OnNonFinite != NonFiniteAction.Propagate)
        {
            record = monitor.SkipStep(lossValue, _optimizer.LearningRate);
        }
        else
        {
            loss.Backward();
            record = monitor.Step(parameters, lossValue, _optimizer.LearningRate);
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
            : $"the loss was {record.Loss}";
        return $"Stopped at step {record.Step} (epoch {record.Epoch}): {where}. Try clipping by norm, a lower learning rate, or skipping such steps.";
    }

    private static string? AllSkipped(EpochSummary summary) =>
        summary.Steps > 0 && summary.SkippedSteps == summary.Steps
            ? $"Stopped after epoch {summary.Epoch}: every step was non-finite and skipped, so training had diverged. Try clipping by norm or a lower learning rate."
            : null;
}
