namespace GradClip.Training;

/// <summary>Thrown when a checkpoint's files are missing, malformed or inconsistent; the message names the file and the problem.</summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with the problem found.</summary>
    public CheckpointFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
    }

    /// <summary>The file that was being read (or the folder, when the problem is the folder's).</summary>
    public string File { get; }
}
