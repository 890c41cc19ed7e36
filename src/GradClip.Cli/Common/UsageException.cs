namespace GradClip.Cli.Common;

/// <summary>A problem with what the user typed or supplied, reported as one line and exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception for a problem with <paramref name="option"/>.</summary>
    public UsageException(string option, string problem)
        : base($"{option}: {problem}")
    {
        Option = option;
    }

    /// <summary>The option (or input) that is wrong, as typed on the command line, e.g. <c>--max-norm</c>.</summary>
    public string Option { get; }
}
