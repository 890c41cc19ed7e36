namespace GradClip.Cli.Common;

/// <summary>Problems with what the user typed or supplied, reported one line each, with exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception for one problem with <paramref name="option"/>.</summary>
    public UsageException(string option, string problem)
        : this([$"{option}: {problem}"])
    {
    }

    /// <summary>Creates the exception for several problems, each already naming its option or input.</summary>
    public UsageException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem, naming the option (as typed, e.g. <c>--max-norm</c>) or the input that is wrong.</summary>
    public IReadOnlyList<string> Problems { get; }
}
