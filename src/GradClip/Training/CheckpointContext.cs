namespace GradClip.Training;

/// <summary>What a checkpoint records beside the training state, for its caller: the run's settings, its data, and its logs.</summary>
/// <param name="Options">The run's settings as text, by name.</param>
/// <param name="TrainedOn">What the run was trained on (e.g. the data file's SHA-256, the target, the columns), by name.</param>
/// <param name="LogOffsets">The length in bytes of each append-only log the checkpoint covers, by file name; a resumed run truncates each log back to it.</param>
public sealed record CheckpointContext(
    IReadOnlyDictionary<string, string> Options,
    IReadOnlyDictionary<string, string> TrainedOn,
    IReadOnlyDictionary<string, long> LogOffsets);
