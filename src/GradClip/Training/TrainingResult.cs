using GradClip.Monitoring;

namespace GradClip.Training;

/// <summary>What a training run recorded: its steps and epochs, and the epoch whose weights the model holds (judging it is the diagnosis's job).</summary>
/// <param name="Epochs">One summary per completed epoch.</param>
/// <param name="Steps">One record per step.</param>
/// <param name="BestEpoch">
/// The epoch whose weights the model was left with (lowest finite validation loss, every weight finite), or 0 when no epoch
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
}
