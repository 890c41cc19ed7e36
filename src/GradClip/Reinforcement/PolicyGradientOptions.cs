using GradClip.Training;

namespace GradClip.Reinforcement;

/// <summary>How long and in what batches of episodes the policy-gradient trainer runs.</summary>
/// <param name="Epochs">How many epochs, at least 1.</param>
/// <param name="EpisodesPerEpoch">The episodes of an epoch, a multiple of <paramref name="EpisodesPerStep"/>.</param>
/// <param name="EpisodesPerStep">The episodes whose gradients one optimizer step averages, at least 1.</param>
/// <param name="Discount">The discount γ of the returns-to-go, in [0, 1].</param>
/// <param name="OnNonFinite">What to do with a step whose loss or gradients hold NaN or ±∞.</param>
/// <param name="CheckpointEvery">Every how many epochs a checkpoint is handed out (the last epoch gets one too), or null for one only when cancelled.</param>
public sealed record PolicyGradientOptions(
    int Epochs = 20,
    int EpisodesPerEpoch = 20,
    int EpisodesPerStep = 2,
    double Discount = 0.99,
    NonFiniteAction OnNonFinite = NonFiniteAction.Skip,
    int? CheckpointEvery = null)
{
    /// <summary>The optimizer steps of an epoch.</summary>
    public int StepsPerEpoch => EpisodesPerEpoch / EpisodesPerStep;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(EpisodesPerStep, 1, nameof(EpisodesPerStep));
        if (EpisodesPerEpoch < EpisodesPerStep || EpisodesPerEpoch % EpisodesPerStep != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EpisodesPerEpoch), EpisodesPerEpoch,
                $"EpisodesPerEpoch must be a positive multiple of EpisodesPerStep ({EpisodesPerStep}), but was {EpisodesPerEpoch}.");
        }
        if (!(Discount >= 0 && Discount <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Discount), Discount, $"Discount must be in [0, 1], but was {Discount}.");
        }
        if (CheckpointEvery is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, $"CheckpointEvery must be at least 1, but was {CheckpointEvery}.");
        }
        if (!Enum.IsDefined(OnNonFinite))
        {
            throw new ArgumentOutOfRangeException(nameof(OnNonFinite), OnNonFinite, $"Unknown non-finite action {OnNonFinite}.");
        }
    }
}
