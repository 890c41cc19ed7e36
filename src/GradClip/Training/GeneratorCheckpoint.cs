using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>
/// Where the run's generator stood when a checkpoint was taken, where it stood when the epoch under way began, and where
/// each epoch so far began (so that a resumed run can still tell which rows an earlier epoch's step trained on).
/// </summary>
/// <param name="EpochStart">The state the epoch under way (or, at an epoch's end, the next) drew its batch order from.</param>
/// <param name="Current">The state now, after the draws of the steps taken (dropout masks).</param>
/// <param name="EpochStarts">The state each epoch began from, epoch 1 first, up to the epoch under way (at an epoch's end, up to that epoch).</param>
public sealed record GeneratorCheckpoint(GeneratorState EpochStart, GeneratorState Current, IReadOnlyList<GeneratorState> EpochStarts)
{
    /// <summary>The starts of epochs 1 to <paramref name="epochs"/> out of <paramref name="starts"/> (by epoch), in order.</summary>
    /// <exception cref="ArgumentException">One of those epochs has no start.</exception>
    public static IReadOnlyList<GeneratorState> StartsUpTo(IReadOnlyDictionary<int, GeneratorState> starts, int epochs)
    {
        ArgumentNullException.ThrowIfNull(starts);
        return [.. Enumerable.Range(1, epochs).Select(epoch => starts.TryGetValue(epoch, out var start)
            ? start
            : throw new ArgumentException($"Epoch {epoch} has no recorded start.", nameof(starts)))];
    }

    /// <summary><see cref="EpochStarts"/> by epoch number, for a resumed run to extend.</summary>
    public Dictionary<int, GeneratorState> StartsByEpoch() =>
        EpochStarts.Select((start, i) => (Epoch: i + 1, start)).ToDictionary(p => p.Epoch, p => p.start);
}
