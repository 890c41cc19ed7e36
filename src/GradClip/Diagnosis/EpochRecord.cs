namespace GradClip.Diagnosis;

/// <summary>
/// What a log says of one epoch or evaluation: every figure is null when the log does not hold it, and NaN or ±∞ when it
/// holds that value (a diverged run's loss).
/// </summary>
/// <param name="Epoch">The epoch, counting from 1; fractional when evaluated mid-epoch (Hugging Face logs 2.5).</param>
/// <param name="Step">The optimizer step the figures were taken after, when known.</param>
/// <param name="TrainLoss">The mean training loss over the epoch.</param>
/// <param name="ValLoss">The validation loss.</param>
/// <param name="ValAccuracy">The validation accuracy, as a fraction.</param>
public sealed record EpochRecord(double Epoch, int? Step, double? TrainLoss, double? ValLoss, double? ValAccuracy)
{
    /// <summary>Further validation metrics by name (e.g. <c>eval_f1</c>), beyond loss and accuracy.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
