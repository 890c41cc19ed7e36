using System.Globalization;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Distributed;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// The training loop of the seeds' pipeline: mini-batches through a model, <c>Backward()</c>, clipping (monitored),
/// <c>Step()</c>; validation after every epoch; the weights of the best epoch kept.
/// </summary>
public sealed class Trainer
{
    private readonly Module<Tensor, Tensor> _model;
    private readonly IGradientTransform _clipping;
    private readonly TrainerOptions _options;
    private readonly Generator _generator;
    private readonly LearningRateScheduler? _schedule;
    private readonly DataParallelStep? _dataParallel;
    private readonly TrainingState _state;

    /// <summary>
    /// Creates a trainer; <paramref name="clipping"/> is applied between Backward and Step (use <see cref="NoClip"/> for none).
    /// </summary>
    /// <param name="model">The network to train.</param>
    /// <param name="optimizer">Steps the network's parameters.</param>
    /// <param name="clipping">Transforms the gradients between Backward and Step.</param>
    /// <param name="options">Epochs, batches, seed, early stopping; the defaults when null.</param>
    /// <param name="schedule">Sets the optimizer's learning rate, advanced once after every step (skipped steps included), or null for a constant rate.</param>
    /// <param name="generator">
    /// The run's generator, which shuffles the batches and which the model was built with (its dropout layers draw from
    /// it); when null, that of the model's dropout layers, or a new one seeded with the options' seed.
    /// </param>
    /// <param name="communicator">
    /// The ranks that share each batch's micro-shards (<see cref="TrainerOptions.MicroShards"/>, which it needs); this process
    /// alone when null. Every rank runs the same trainer and ends every step with the same weights.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The model's dropout layers draw from another generator, or from more than one; or micro-shards are asked for a model
    /// with dropout, or a communicator without micro-shards.
    /// </exception>
    public Trainer(
        Module<Tensor, Tensor> model,
        Optimizer optimizer,
        IGradientTransform clipping,
        TrainerOptions? options = null,
        LearningRateScheduler? schedule = null,
        Generator? generator = null,
        ICommunicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(clipping);
        _options = options ?? new TrainerOptions();
        _options.Validate();
        _model = model;
        _clipping = clipping;
        _schedule = schedule;
        _generator = SharedGenerator(model, generator, _options.Seed);
        _dataParallel = DataParallel(model, _options.MicroShards, communicator);
        _state = new TrainingState(model, optimizer, clipping);
    }

    /// <summary>The micro-sharded gradient step when <paramref name="microShards"/> is set, else null (the plain step).</summary>
    private static DataParallelStep? DataParallel(Module model, int? microShards, ICommunicator? communicator)
    {
        if (microShards is not { } shards)
        {
            return communicator is null ? null
                : throw new ArgumentException("A communicator shares micro-shards of each batch; set TrainerOptions.MicroShards.", nameof(communicator));
        }
        if (DropoutLayers(model).Any(d => d.P > 0))
        {
            // Each micro-shard would draw its dropout masks on whichever rank computes it, so the draws would depend on the rank count.
            throw new ArgumentException("Micro-sharded training does not support dropout: the masks drawn would depend on the rank count.", nameof(model));
        }
        return new DataParallelStep(communicator ?? new SingleProcessCommunicator(), shards, model.NamedParameters());
    }

    /// <summary>
    /// The one generator of the run, whose state is checkpointed: <paramref name="given"/>, or the one the model's dropout
    /// layers draw from, or a new one seeded with <paramref name="seed"/>.
    /// </summary>
    private static Generator SharedGenerator(Module model, Generator? given, int seed)
    {
        var generators = DropoutLayers(model).Select(d => d.Generator).Prepend(given).OfType<Generator>().Distinct().ToList();
        return generators.Count switch
        {
            0 => new Generator(seed),
            1 => generators[0],
            _ => throw new ArgumentException(
                "The model's dropout layers draw from another generator than the trainer's (or from several); build the model with the run's generator,"
                + " so that a checkpoint captures every draw.", nameof(model)),
        };
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
    /// <param name="targetStandardizer">
    /// Standardizes a regression target for training (<see cref="Standardizer.FitTarget"/>), the metrics still measured in its
    /// units; null trains on the target as it is.
    /// </param>
    /// <param name="cancellation">
    /// Checked before each step: once cancelled, the run hands a checkpoint of the steps taken so far to
    /// <paramref name="onCheckpoint"/> and throws <see cref="OperationCanceledException"/>, leaving the model as trained so far.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="resumeFrom"/> does not fit this model, optimizer or clipping, or the task reports no figure named as the options' monitor.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled before the run ended.</exception>
    public TrainingResult Fit(
        TabularData data,
        DataSplit split,
        Standardizer? standardizer,
        Action<EpochSummary>? onEpoch = null,
        TrainingCheckpoint? resumeFrom = null,
        Action<TrainingCheckpoint>? onCheckpoint = null,
        CancellationToken cancellation = default,
        Standardizer? targetStandardizer = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(split);
        var batches = new TrainingBatches(data, standardizer, targetStandardizer);
        var evaluation = new EpochEvaluation(data, split, batches, targetStandardizer, _options.Objective);
        var monitored = Monitored(evaluation.Metrics);
        var sampler = new BatchSampler(split.TrainRows, _options.BatchSize);
        var parameters = _model.Parameters().ToList();
        var records = new GradientMonitor(TrainingState.Guarded(_clipping, _options.OnNonFinite), resumeFrom?.Steps ?? [], resumeFrom?.Epochs ?? []);
        var best = new BestWeights(parameters);
        if (resumeFrom is not null)
        {
            Restore(resumeFrom, best);
        }
        string? stopReason = null;
        string? earlyStop = null;
        var epochStarts = resumeFrom?.Generator.StartsByEpoch() ?? [];
        for (int epoch = records.Epochs.Count + 1; epoch <= _options.Epochs && stopReason is null && earlyStop is null; epoch++)
        {
            _model.Train();
            var epochStart = _generator.GetState();
            epochStarts[epoch] = epochStart;
            var order = sampler.Epoch(_generator);
            if (resumeFrom is { EpochStep: > 0 } && epoch == resumeFrom.Epoch + 1)
            {
                // The order of the interrupted epoch is drawn again from its start; the draws after it continue from the checkpoint.
                _generator.SetState(resumeFrom.Generator.Current);
            }
            foreach (var rows in order.Skip(records.StepsInCurrentEpoch))
            {
                if (_dataParallel?.AnyStop(cancellation.IsCancellationRequested) ?? cancellation.IsCancellationRequested)
                {
                    // Every rank stops here, also those that got no signal themselves.
                    onCheckpoint?.Invoke(Checkpoint(records, best, epochStart, epochStarts));
                    throw new OperationCanceledException(cancellation);
                }
                stopReason = TrainStep(batches, rows, parameters, records);
                if (stopReason is not null)
                {
                    break;
                }
            }
            var (valLoss, metrics) = evaluation.Measure(_model, Loss);
            var summary = records.EndEpoch(valLoss, metrics);
            stopReason ??= TrainingState.AllSkipped(summary);
            best.Offer(summary.Epoch, AsLoss(summary, split, monitored));
            onEpoch?.Invoke(summary);
            earlyStop = stopReason is null ? EarlyStop(summary.Epoch, best, monitored) : null;
            bool last = epoch == _options.Epochs || earlyStop is not null;
            if (stopReason is null && _options.CheckpointEvery is { } every && (epoch % every == 0 || last))
            {
                onCheckpoint?.Invoke(Checkpoint(records, best, _generator.GetState(), epochStarts));
            }
        }
        best.Restore();
        return new TrainingResult(records.Epochs, records.Steps, best.Epoch, stopReason)
        {
            EarlyStop = earlyStop,
            EpochStarts = epochStarts,
            ValidationConfusion = evaluation.Confusion(_model),
            ResumedFrom = resumeFrom is null ? null : (resumeFrom.Epoch, resumeFrom.Steps.Count),
        };
    }

    /// <summary>The declared figure <see cref="TrainerOptions.Monitor"/> names, among those the task reports.</summary>
    /// <exception cref="ArgumentException">The task reports no figure of that name.</exception>
    private EpochMetric Monitored(TaskMetrics metrics) =>
        metrics.Monitorable.FirstOrDefault(m => m.Name == _options.Monitor)
        ?? throw new ArgumentException(
            $"Monitor '{_options.Monitor}' is not a figure the {metrics.Task} task reports; choose one of {string.Join(", ", metrics.Monitorable.Select(m => m.Name))}.",
            "options");

    /// <summary>
    /// The figure that picks the kept epoch, as a loss (lower is better): the <paramref name="monitored"/> figure, negated
    /// where higher is better; the training loss without validation rows; NaN when missing.
    /// </summary>
    private static double AsLoss(EpochSummary summary, DataSplit split, EpochMetric monitored) =>
        split.ValidationRows.IsEmpty ? summary.TrainLoss
        : summary.Figure(monitored.Name) is { } value ? (monitored.HigherIsBetter ? -value : value)
        : double.NaN;

    /// <summary>
    /// Why the run stops after <paramref name="epoch"/> as Keras's <c>EarlyStopping</c> would: the monitored figure has not
    /// improved for <see cref="TrainerOptions.Patience"/> epochs; null while it has, or without patience.
    /// </summary>
    private string? EarlyStop(int epoch, BestWeights best, EpochMetric monitored)
    {
        if (_options.Patience is not { } patience || epoch - best.Epoch < patience || epoch == _options.Epochs)
        {
            return null;
        }
        double bestValue = monitored.HigherIsBetter ? -best.Loss : best.Loss;
        string kept = best.Epoch > 0
            ? string.Create(CultureInfo.InvariantCulture, $"best {bestValue:G4} at epoch {best.Epoch}; the model keeps that epoch's weights")
            : "no epoch had a finite figure";
        return $"Stopped early after epoch {epoch} of {_options.Epochs}: {monitored.Name} has not improved for {epoch - best.Epoch} epochs (patience {patience}; {kept}).";
    }

    /// <summary>
    /// A copy of the run's state now, its generator's included: <paramref name="epochStart"/> for the epoch under way, and
    /// the <paramref name="epochStarts"/> of the epochs finished and the one under way when it has taken a step.
    /// </summary>
    private TrainingCheckpoint Checkpoint(GradientMonitor records, BestWeights best, GeneratorState epochStart, IReadOnlyDictionary<int, GeneratorState> epochStarts) =>
        _state.Checkpoint(records, best, new GeneratorCheckpoint(epochStart, _generator.GetState(),
            GeneratorCheckpoint.StartsUpTo(epochStarts, records.Epochs.Count + (records.StepsInCurrentEpoch > 0 ? 1 : 0))));

    /// <summary>Puts the checkpoint's state back (<see cref="TrainingState.Restore"/>), the generator's and the schedule's position too.</summary>
    private void Restore(TrainingCheckpoint checkpoint, BestWeights best)
    {
        _state.Restore(checkpoint, best);
        _generator.SetState(checkpoint.Generator.EpochStart);
        _schedule?.LoadStepCount(checkpoint.Steps.Count);
    }

    /// <summary>The Dropout layers in <paramref name="module"/>: the only layers that draw random numbers while training.</summary>
    private static IEnumerable<Dropout> DropoutLayers(Module module) =>
        module is Dropout dropout ? [dropout] : module.NamedChildren().SelectMany(c => DropoutLayers(c.Module));

    private string? TrainStep(TrainingBatches batches, ReadOnlyMemory<int> rows, List<Tensor> parameters, GradientMonitor records)
    {
        Tensor? loss = null;
        double lossValue;
        if (_dataParallel is null)
        {
            var batch = batches.Take(rows.Span);
            loss = BatchLoss(batch);
            lossValue = loss.Item();
        }
        else
        {
            lossValue = _dataParallel.Gradients(batches, rows, BatchLoss);
        }
        var record = _state.Step(loss, lossValue, parameters, records, _options.OnNonFinite, _schedule, _dataParallel is null ? null : _dataParallel.RequireAgreement);
        return record.Skipped && _options.OnNonFinite == NonFiniteAction.Stop ? TrainingState.NonFiniteStop(record, _dataParallel?.NonFiniteOrigin) : null;
    }

    /// <summary>The loss of the model on a batch: a row's label or target, or under <see cref="TrainingObjective.NextToken"/> every next token.</summary>
    private Tensor BatchLoss(Batch batch)
    {
        if (_options.Objective == TrainingObjective.NextToken)
        {
            var (logits, next) = NextTokenScores.Predict(_model, batch.Features);
            return Tensor.CrossEntropy(logits, next);
        }
        return Loss(_model.Forward(batch.Features), batch);
    }

    private static Tensor Loss(Tensor output, Batch batch) =>
        batch.Labels is { } labels ? Tensor.CrossEntropy(output, labels) : Tensor.MseLoss(output, batch.Targets!);
}
