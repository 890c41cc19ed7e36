using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// Everything a <see cref="Trainer"/> needs to continue a run exactly where it was: the weights, the optimizer's and the
/// clipping's state, the best weights so far, the position in the run, the records so far, and the state of the run's
/// generator, from which the batch orders and the dropout masks are drawn (the initialization is replaced by the saved
/// weights). The learning-rate schedule's position is the number of steps taken, and early stopping's count of epochs
/// without improvement is the distance from the best epoch, so neither needs a field of its own.
/// </summary>
/// <param name="Epoch">How many epochs are complete.</param>
/// <param name="EpochStep">How many steps of the next epoch were taken (0 at an epoch's end; more when the run was interrupted within one).</param>
/// <param name="Weights">A copy of every model parameter, by name, in the model's order.</param>
/// <param name="Optimizer">A copy of the optimizer's state.</param>
/// <param name="Clipping">A copy of the adaptive clipping transforms' state.</param>
/// <param name="BestEpoch">The epoch with the lowest finite loss so far, or 0 when none had one.</param>
/// <param name="BestLoss">That epoch's loss (+∞ when none).</param>
/// <param name="BestWeights">A copy of the parameters after <paramref name="BestEpoch"/>, by name; null when it is 0.</param>
/// <param name="Epochs">The summaries of the complete epochs.</param>
/// <param name="Steps">The records of every step taken, those of the interrupted epoch included.</param>
/// <param name="Generator">The run's generator state, now and when the epoch under way began.</param>
/// <remarks>
/// A checkpoint handed out by <see cref="Trainer.Fit"/> shares its records with the run instead of copying them (they are
/// only ever appended to), so it costs the same late in a run as early.
/// </remarks>
public sealed record TrainingCheckpoint(
    int Epoch,
    int EpochStep,
    IReadOnlyList<(string Name, Tensor Tensor)> Weights,
    OptimizerState Optimizer,
    ClippingState Clipping,
    int BestEpoch,
    double BestLoss,
    IReadOnlyList<(string Name, Tensor Tensor)>? BestWeights,
    IReadOnlyList<EpochSummary> Epochs,
    IReadOnlyList<StepRecord> Steps,
    GeneratorCheckpoint Generator);
