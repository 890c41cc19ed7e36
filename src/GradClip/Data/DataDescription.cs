namespace GradClip.Data;

/// <summary>What a dataset's target is called, where the data came from and why its task was chosen.</summary>
/// <param name="TargetName">The name of the target column.</param>
/// <param name="Source">The file path as given, or <c>built-in</c>.</param>
/// <param name="TaskReason">Why the task is classification or regression, in a sentence the command line can print.</param>
/// <param name="Layout">How a file was read (delimiter, decimal separator, header), or empty for data that is no file.</param>
public sealed record DataDescription(string TargetName, string Source, string TaskReason, string Layout = "");
