using System.CommandLine;
using GradClip.Cli.Common;
using GradClip.Cli.Compare;
using GradClip.Cli.Diagnose;
using GradClip.Cli.Explain;
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
        var root = new RootCommand("GradClip: train neural networks stably with gradient clipping, and see what clipping did.")
        {
            TrainCommand.Create(console),
            PredictCommand.Create(console),
            RecommendCommand.Create(console),
            ExplainCommand.Create(console),
            ReportCommand.Create(console),
            CompareCommand.Create(console),
            DiagnoseCommand.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
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
                console.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
            }
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A write that failed while working (a full disk, a folder removed under the run): the message names the file.
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return ExitCodes.Failure;
        }
    }
}
