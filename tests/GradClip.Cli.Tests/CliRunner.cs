using Spectre.Console;

namespace GradClip.Cli.Tests;

/// <summary>Runs the gradclip tool in process and captures what it prints.</summary>
internal static class CliRunner
{
    /// <summary>Runs the tool with the given arguments; returns the exit code and the text written.</summary>
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100;
        int code = GradClipApp.Run(args, console);
        return (code, writer.ToString());
    }
}
