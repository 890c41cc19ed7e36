namespace GradClip.Serialization;

/// <summary>Thrown when a safetensors file is malformed; the message names the file and what is wrong with it.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> with the problem found.</summary>
    public SafeTensorsFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file (or other source) that was being read.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the source: for wrapping in another reader's error that names the file itself.</summary>
    public string Problem { get; }
}
