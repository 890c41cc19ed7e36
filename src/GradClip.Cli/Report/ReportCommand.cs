using System.CommandLine;
using GradClip.Cli.Common;
using Spectre.Console;

namespace GradClip.Cli.Report;

/// <summary><c>gradclip report DIR</c>: rebuilds a training run's <c>report.html</c> and plots from the files in its folder.</summary>
public static class ReportCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Argument<string>("folder") { Description = "A 'gradclip train' output folder, with metrics.jsonl, steps.jsonl and summary.json." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no plot images: the report then has the table and the verdicts only." };
        var command = new Command("report", "Rebuild a training run's self-contained report.html and its PNG/SVG plots from the run's files.")
        {
            folder, noPlots,
        };
        command.SetAction(result =>
        {
            string dir = result.GetValue(folder)!;
            var files = RunReport.Write(dir, plots: !result.GetValue(noPlots));
            console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(dir, RunReport.ReportFile))}[/]");
            console.MarkupLine($"Files in {Markup.Escape(dir)}: {Markup.Escape(string.Join(", ", files))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
