using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>Where the run's generator stood when a checkpoint was taken, and where it stood when the epoch under way began.</summary>
/// <param name="EpochStart">The state the epoch under way (or, at an epoch's end, the next) drew its batch order from.</param>
/// <param name="Current">The state now, after the draws of the steps taken (dropout masks).</param>
public sealed record GeneratorCheckpoint(GeneratorState EpochStart, GeneratorState Current);
