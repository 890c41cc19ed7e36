using GradClip.Monitoring;
using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>What a training run recorded: its steps and epochs, and the epoch whose weights the model holds (judging it is the diagnosis's job).</summary>
/// <param name="Epochs">One summary per completed epoch.</param>
/// <param name="Steps">One record per step.</param>
/// <param name="BestEpoch">
/// The epoch whose weights the model was left with (best finite monitored figure, every weight finite), or 0 when no epoch
/// qualified: then the model holds the weights training ended with, which are not fit to keep.
/// </param>
/// <param name="StopReason">Why training stopped before its last epoch, or null when it ran to the end.</param>
public sealed record TrainingResult(
    IReadOnlyList<EpochSummary> Epochs,
    IReadOnlyList<StepRecord> Steps,
    int BestEpoch,
    string? StopReason)
{
    /// <summary>The summary of the epoch whose weights the model holds, or null when no epoch gave finite weights.</summary>
    public EpochSummary? Best => BestEpoch > 0 ? Epochs[BestEpoch - 1] : null;

    /// <summary>Why early stopping ended the run before its last epoch (the monitored figure stopped improving), or null.</summary>
    public string? EarlyStop { get; init; }

    /// <summary>
    /// For classification with validation rows, the confusion matrix of the weights the model was left with on the validation
    /// rows: counts by true class (row) and predicted class (column), as scikit-learn's <c>confusion_matrix</c>; otherwise null.
    /// </summary>
    public long[,]? ValidationConfusion { get; init; }

    /// <summary>
    /// The generator's state as each epoch this run trained began, by epoch number (the epochs before a resume are absent),
    /// from which that epoch's batch order can be drawn again.
    /// </summary>
    public IReadOnlyDictionary<int, GeneratorState> EpochStarts { get; init; } = new Dictionary<int, GeneratorState>();
}
