using GradClip.Monitoring;
using GradClip.Optim;

namespace GradClip.Training;

/// <summary>
/// Everything a <see cref="Trainer"/> needs to continue a run exactly where it was: the weights, the optimizer's and the
/// clipping's state, the best weights so far, the position in the run, and the records so far. The batch order needs no
/// state: it is a function of the seed and the epoch number alone (see <see cref="Data.BatchSampler"/>), and the other
/// randomness, the initialization, is replaced by the saved weights. A <see cref="Nn.Dropout"/> layer would draw masks from
/// a <see cref="Random"/> whose state cannot be saved, so <see cref="Trainer.Fit"/> refuses to resume a model holding one.
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
    IReadOnlyList<StepRecord> Steps);
