namespace GradClip.Training;

/// <summary>How long and in what batches the trainer runs, and what it does with non-finite steps.</summary>
/// <param name="Epochs">Passes over the training rows, at least 1.</param>
/// <param name="BatchSize">Rows per optimizer step, at least 1.</param>
/// <param name="Seed">Seeds the run's generator when the trainer is given none (the model's initialization is drawn where it is built).</param>
/// <param name="OnNonFinite">What to do with a step whose loss or gradients hold NaN or ±∞.</param>
/// <param name="CheckpointEvery">
/// Every how many epochs <see cref="Trainer.Fit"/> hands a checkpoint to its caller (at least 1; the last epoch gets one
/// too), or null for checkpoints only when the run is cancelled.
/// </param>
/// <param name="Monitor">
/// The name of the validation figure whose best epoch's weights the model keeps, and which early stopping watches:
/// <c>val_loss</c> or one of the task's declared metrics (<see cref="Metrics.TaskMetrics.Monitorable"/>).
/// </param>
/// <param name="Patience">
/// Stop once <paramref name="Monitor"/> has not improved for this many epochs (at least 1), as Keras's <c>EarlyStopping</c>
/// with <c>restore_best_weights</c>; null trains every epoch.
/// </param>
/// <param name="MicroShards">
/// Cut every batch into this many micro-shards at fixed floor boundaries and add their gradients in one fixed pairwise
/// tree (data-parallel training, over the trainer's communicator), so that the result has the same bits for any rank
/// count; null computes each batch's gradient in one pass.
/// </param>
/// <param name="Objective">What the model's outputs are scored against (a language model's rows are windows of tokens).</param>
public sealed record TrainerOptions(
    int Epochs = 20,
    int BatchSize = 32,
    int Seed = 0,
    NonFiniteAction OnNonFinite = NonFiniteAction.Skip,
    int? CheckpointEvery = null,
    string Monitor = "val_loss",
    int? Patience = null,
    int? MicroShards = null,
    TrainingObjective Objective = TrainingObjective.RowTargets)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Epochs must be at least 1, but was {Epochs}.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be at least 1, but was {BatchSize}.");
        }
        if (CheckpointEvery is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, $"CheckpointEvery must be at least 1, but was {CheckpointEvery}.");
        }
        if (Patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, $"Patience must be at least 1, but was {Patience}.");
        }
        if (MicroShards is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MicroShards), MicroShards, $"MicroShards must be at least 1, but was {MicroShards}.");
        }
        if (string.IsNullOrEmpty(Monitor))
        {
            throw new ArgumentException("Monitor must name a validation figure, such as val_loss.", nameof(Monitor));
        }
        if (!Enum.IsDefined(Objective))
        {
            throw new ArgumentOutOfRangeException(nameof(Objective), Objective, $"Unknown objective {Objective}.");
        }
        if (!Enum.IsDefined(OnNonFinite))
        {
            throw new ArgumentOutOfRangeException(nameof(OnNonFinite), OnNonFinite, $"Unknown non-finite action {OnNonFinite}.");
        }
    }
}
