using System.CommandLine;
using System.CommandLine.Help;
using GradClip.Cli.Common;
using GradClip.Cli.Compare;
using GradClip.Cli.Diagnose;
using GradClip.Cli.Evaluate;
using GradClip.Cli.Explain;
using GradClip.Cli.Export;
using GradClip.Cli.Predict;
using GradClip.Cli.Recommend;
using GradClip.Cli.Report;
using GradClip.Cli.Train;
using Spectre.Console;

namespace GradClip.Cli;

/// <summary>The gradclip tool: its commands, and the one place where errors become messages and exit codes.</summary>
public static class GradClipApp
{
    /// <summary>Runs the tool with <paramref name="args"/>, writing to <paramref name="console"/>, and returns the exit code.</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        // Named here rather than after the executable, so that usage lines say `gradclip` however the tool was started
        // (the installed tool, `dotnet run`, a test host); the options a RootCommand brings are added by hand.
        var root = new Command("gradclip", "GradClip: train neural networks stably with gradient clipping, and see what clipping did.")
        {
            new HelpOption(),
            new VersionOption(),
            TrainCommand.Create(console),
            PredictCommand.Create(console),
            RecommendCommand.Create(console),
            ExplainCommand.Create(console),
            ReportCommand.Create(console),
            CompareCommand.Create(console),
            ExportCommand.Create(console),
            DiagnoseCommand.Create(console),
            EvaluateCommand.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                WriteError(console, error.Message);
            }
            console.MarkupLine("Run 'gradclip --help' for the commands and their options.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            foreach (string problem in ex.Problems)
            {
                WriteError(console, problem);
            }
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A write that failed while working (a full disk, a folder removed under the run): the message names the file.
            WriteError(console, ex.Message);
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Writes <paramref name="message"/> after a red "error:" as plain text, not markup: parsing escaped markup takes time
    /// quadratic in its brackets (a message listing 30,000 bracketed names took 50 s), plain text takes linear time.
    /// </summary>
    private static void WriteError(IAnsiConsole console, string message)
    {
        console.Write(new Text("error: ", new Style(Color.Red)));
        console.WriteLine(message);
    }
}
