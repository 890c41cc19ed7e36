using System.CommandLine;
using GradClip.Cli.Common;
using Spectre.Console;

namespace GradClip.Cli.Report;

/// <summary>
/// <c>gradclip report DIR</c>: rebuilds the <c>report.html</c> and plots of a training run, or of a comparison (with each
/// strategy's own report), from the files in its folder.
/// </summary>
public static class ReportCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Argument<string>("folder")
        {
            Description = "A 'gradclip train' output folder (metrics.jsonl, steps.jsonl, summary.json) or a 'gradclip compare' one (comparison.json and a run folder per strategy).",
        };
        var noPlots = new Option<bool>("--no-plots")
        {
            Description = "Write no plot images: the report then has the tables and the verdicts only (for a comparison, the strategies' own reports are left as they are).",
        };
        var command = new Command("report", "Rebuild the self-contained report.html and PNG/SVG plots of a training run or a comparison from its files.")
        {
            folder, noPlots,
        };
        command.SetAction(result =>
        {
            string dir = result.GetValue(folder)!;
            bool plots = !result.GetValue(noPlots);
            IReadOnlyList<string> files;
            if (ComparisonRecords.IsComparison(dir))
            {
                files = CompareReport.WriteWithStrategies(dir, plots, strategyReports: plots);
            }
            else
            {
                var run = RunRecords.Read(dir);
                if (run.WriterProcess is { } writer)
                {
                    console.MarkupLine(Markup.Escape($"The run in '{dir}' is in progress (process {writer}): reported up to its last checkpoint, {run.Epochs.Count} epochs."));
                }
                if (run.Interrupted)
                {
                    console.MarkupLine(Markup.Escape($"The run in '{dir}' was interrupted: reported up to its last checkpoint, {run.Epochs.Count} epochs; 'gradclip train --resume {dir}' continues it."));
                }
                files = RunReport.Write(dir, run, plots);
            }
            console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(dir, RunReport.ReportFile))}[/]");
            console.MarkupLine($"Files in {Markup.Escape(dir)}: {Markup.Escape(string.Join(", ", files))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
