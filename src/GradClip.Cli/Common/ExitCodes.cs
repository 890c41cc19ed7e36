namespace GradClip.Cli.Common;

/// <summary>The process exit codes of the gradclip tool.</summary>
public static class ExitCodes
{
    /// <summary>The command did its work.</summary>
    public const int Success = 0;

    /// <summary>The command failed while working (a run that diverged and was stopped, a write that failed).</summary>
    public const int Failure = 1;

    /// <summary>The command line or an input file was wrong; nothing was done.</summary>
    public const int BadInput = 2;

    /// <summary><c>diagnose --fail-on</c>: a verdict of the given severity or worse was found (the diagnosis itself succeeded).</summary>
    public const int VerdictFound = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM after saving its work: 130, as shells report a Ctrl+C (128 + SIGINT's number 2).</summary>
    public const int Interrupted = 130;
}
