using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>A log read into a run trace, with what the reader found out on the way.</summary>
/// <param name="Trace">The run as the log holds it.</param>
/// <param name="Format">The format the log was read as.</param>
/// <param name="File">The file read (inside the folder, when a folder was given).</param>
/// <param name="Columns">The log's own names for the figures read, by figure (e.g. <c>loss</c> = <c>train_loss_step</c>).</param>
/// <param name="Notes">What the reader assumed or could not find, one sentence each (a missing gradient norm, a default max_norm).</param>
public sealed record LogReading(
    RunTrace Trace,
    LogFormat Format,
    string File,
    IReadOnlyList<KeyValuePair<string, string>> Columns,
    IReadOnlyList<string> Notes);
