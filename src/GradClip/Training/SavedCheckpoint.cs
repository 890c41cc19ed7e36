namespace GradClip.Training;

/// <summary>A checkpoint read back from its folder, with the context it was saved with.</summary>
/// <param name="Checkpoint">The training state.</param>
/// <param name="Context">The options, data and log offsets recorded with it.</param>
public sealed record SavedCheckpoint(TrainingCheckpoint Checkpoint, CheckpointContext Context);
