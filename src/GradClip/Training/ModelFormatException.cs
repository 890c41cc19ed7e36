namespace GradClip.Training;

/// <summary>Thrown when a saved model's files are missing, malformed or inconsistent; the message names the file and the problem.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> with the problem found.</summary>
    public ModelFormatException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
    }

    /// <summary>The file that was being read.</summary>
    public string File { get; }
}
