using GradClip.Clipping;
using GradClip.Environments;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Reinforcement;

/// <summary>
/// Trains a policy network on CartPole by REINFORCE with a baseline (<see cref="PolicyGradient"/>): each step plays a few
/// episodes, Backward() on their loss, clipping (monitored), Step(); an epoch is a fixed number of episodes, measured by
/// their mean return. Records, checkpoints and best weights are those of <see cref="Trainer"/>, so that a run is shown,
/// judged, saved and resumed the same way.
/// </summary>
public sealed class PolicyGradientTrainer
{
    private readonly Module<Tensor, Tensor> _policy;
    private readonly IGradientTransform _clipping;
    private readonly PolicyGradientOptions _options;
    private readonly Generator _generator;
    private readonly LearningRateScheduler? _schedule;
    private readonly TrainingState _state;

    /// <summary>Creates a trainer of <paramref name="policy"/> (observations in, one logit per action out).</summary>
    /// <param name="policy">The policy network: (n, 4) observations to (n, 2) logits.</param>
    /// <param name="optimizer">Steps the policy's parameters.</param>
    /// <param name="clipping">Transforms the gradients between Backward and Step (<see cref="NoClip"/> for none).</param>
    /// <param name="generator">The run's one generator: every episode's start and every action is drawn from it.</param>
    /// <param name="options">Epochs, episodes, discount; the defaults when null.</param>
    /// <param name="schedule">Sets the optimizer's learning rate, advanced once after every step, or null for a constant rate.</param>
    public PolicyGradientTrainer(
        Module<Tensor, Tensor> policy, Optimizer optimizer, IGradientTransform clipping, Generator generator,
        PolicyGradientOptions? options = null, LearningRateScheduler? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(clipping);
        ArgumentNullException.ThrowIfNull(generator);
        _options = options ?? new PolicyGradientOptions();
        _options.Validate();
        _policy = policy;
        _clipping = clipping;
        _generator = generator;
        _schedule = schedule;
        _state = new TrainingState(policy, optimizer, clipping);
    }

    /// <summary>Trains for the options' epochs; <paramref name="onEpoch"/> hears of each epoch as it ends.</summary>
    /// <param name="onEpoch">Hears of each epoch's summary as it ends.</param>
    /// <param name="resumeFrom">A checkpoint of an earlier run of the same policy, optimizer, clipping and options, taken at an epoch's end, or null to start afresh.</param>
    /// <param name="onCheckpoint">
    /// Gets a checkpoint after every <see cref="PolicyGradientOptions.CheckpointEvery"/>-th epoch and the last one (when that
    /// option is set), and when <paramref name="cancellation"/> stops the run: then the one of the last epoch's end, since an
    /// epoch's return is measured over all its episodes (the episodes of the interrupted epoch are played again on resuming).
    /// </param>
    /// <param name="cancellation">Checked before each step; once cancelled, the run hands over a checkpoint and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="resumeFrom"/> does not fit this trainer or was taken within an epoch.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled before the run ended.</exception>
    public TrainingResult Fit(
        Action<EpochSummary>? onEpoch = null,
        TrainingCheckpoint? resumeFrom = null,
        Action<TrainingCheckpoint>? onCheckpoint = null,
        CancellationToken cancellation = default)
    {
        var parameters = _policy.Parameters().ToList();
        var records = new GradientMonitor(TrainingState.Guarded(_clipping, _options.OnNonFinite), resumeFrom?.Steps ?? [], resumeFrom?.Epochs ?? []);
        var best = new BestWeights(parameters);
        if (resumeFrom is not null)
        {
            Restore(resumeFrom, best);
        }
        var environment = new CartPole();
        var epochStarts = resumeFrom?.Generator.StartsByEpoch() ?? [];
        var epochEnd = Checkpoint(records, best, epochStarts);
        string? stopReason = null;
        for (int epoch = records.Epochs.Count + 1; epoch <= _options.Epochs && stopReason is null; epoch++)
        {
            _policy.Train();
            epochStarts[epoch] = _generator.GetState();
            double returns = 0;
            for (int step = 0; step < _options.StepsPerEpoch && stopReason is null; step++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    onCheckpoint?.Invoke(epochEnd);
                    throw new OperationCanceledException(cancellation);
                }
                var episodes = Enumerable.Range(0, _options.EpisodesPerStep).Select(_ => Rollout.Play(_policy, environment, _generator)).ToList();
                returns += episodes.Sum(e => e.Return);
                stopReason = TrainStep(episodes, parameters, records);
            }
            double meanReturn = returns / (_options.EpisodesPerStep * Math.Max(1, records.StepsInCurrentEpoch));
            var summary = records.EndEpoch(null, [new MetricValue(EpochMetric.MeanReturn.Name, meanReturn)]);
            stopReason ??= TrainingState.AllSkipped(summary);
            best.Offer(summary.Epoch, -meanReturn);
            onEpoch?.Invoke(summary);
            epochEnd = Checkpoint(records, best, epochStarts);
            if (stopReason is null && _options.CheckpointEvery is { } every && (epoch % every == 0 || epoch == _options.Epochs))
            {
                onCheckpoint?.Invoke(epochEnd);
            }
        }
        best.Restore();
        return new TrainingResult(records.Epochs, records.Steps, best.Epoch, stopReason)
        {
            EpochStarts = epochStarts,
            ResumedFrom = resumeFrom is null ? null : (resumeFrom.Epoch, resumeFrom.Steps.Count),
        };
    }

    /// <summary>A copy of the run's state at an epoch's end, the generator's included, with the <paramref name="epochStarts"/> of the epochs finished.</summary>
    private TrainingCheckpoint Checkpoint(GradientMonitor records, BestWeights best, IReadOnlyDictionary<int, GeneratorState> epochStarts)
    {
        var now = _generator.GetState();
        return _state.Checkpoint(records, best, new GeneratorCheckpoint(now, now, GeneratorCheckpoint.StartsUpTo(epochStarts, records.Epochs.Count)));
    }

    private void Restore(TrainingCheckpoint checkpoint, BestWeights best)
    {
        if (checkpoint.EpochStep != 0)
        {
            throw new ArgumentException(
                $"The checkpoint was taken {checkpoint.EpochStep} steps into epoch {checkpoint.Epoch + 1}; a policy-gradient run resumes from an epoch's end.", "resumeFrom");
        }
        _state.Restore(checkpoint, best);
        _generator.SetState(checkpoint.Generator.Current);
        _schedule?.LoadStepCount(checkpoint.Steps.Count);
    }

    /// <summary>One optimizer step on the REINFORCE loss of <paramref name="episodes"/>; returns why the run stops, or null.</summary>
    private string? TrainStep(IReadOnlyList<Episode> episodes, List<Tensor> parameters, GradientMonitor records)
    {
        int steps = episodes.Sum(e => e.Length);
        var logits = _policy.Forward(Tensor.FromArray([.. episodes.SelectMany(e => e.Observations)], steps, CartPole.ObservationSize));
        var loss = PolicyGradient.Loss(logits, [.. episodes.SelectMany(e => e.Actions)], PolicyGradient.Advantages(episodes, _options.Discount), episodes.Count);
        var record = _state.Step(loss, loss.Item(), parameters, records, _options.OnNonFinite, _schedule);
        return record.Skipped && _options.OnNonFinite == NonFiniteAction.Stop ? TrainingState.NonFiniteStop(record, null) : null;
    }
}
