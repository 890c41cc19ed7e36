using System.CommandLine;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Cli.Train;
using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Serialization;
using Spectre.Console;

namespace GradClip.Cli.Diagnose;

/// <summary>
/// <c>gradclip diagnose PATH</c>: reads a training log from Hugging Face Trainer, Lightning, Keras, a CSV or JSON-lines
/// step log, or a GradClip run folder, judges it with the health check that judges <c>train</c>'s runs, and replays other
/// clipping policies over its gradient norms. With <c>--out</c> it writes <c>diagnosis.json</c> and <c>report.html</c>
/// there, never beside the log.
/// </summary>
public static class DiagnoseCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var path = new Argument<string>("path")
        {
            Description = "The log: trainer_state.json (or its checkpoint folder), Lightning's metrics.csv, a Keras CSVLogger file, a CSV or JSON-lines step log, or a GradClip run folder.",
        };
        var maxNorm = new Option<string?>("--max-norm") { Description = "The max_norm the run clipped the total gradient norm at, when the log does not say (0: it did not clip). Hugging Face Trainer's default, 1, is assumed for its logs." };
        var output = new Option<string?>("--out") { Description = "A new (or empty) folder for diagnosis.json and report.html. Without it nothing is written." };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit with code 3 when a verdict of this severity or worse is found: warning or error (for CI)." };
        failOn.AcceptOnlyFromAmong("warning", "error");
        var columns = ColumnOptions.Create();
        var command = new Command("diagnose", "Judge a training run from its log (Hugging Face Trainer, Lightning, Keras, CSV/JSON lines, GradClip) and replay other clipping policies over its gradient norms.")
        {
            path, maxNorm, output, failOn,
        };
        columns.AddTo(command);
        command.SetAction(result =>
        {
            string log = result.GetValue(path)!;
            string? folder = result.GetValue(output);
            var options = columns.Read(result, ParseMaxNorm(result.GetValue(maxNorm)));
            if (folder is not null)
            {
                CheckOutputFolder(folder, log);
            }
            var reading = Read(log, options);
            var findings = HealthCheck.Diagnose(reading.Trace);
            var replay = ClipReplay.Of(reading.Trace);
            DiagnosisReport.Write(console, reading, findings, replay);
            if (folder is not null)
            {
                var files = Write(folder, reading, findings, replay);
                console.MarkupLine($"Files in [bold]{Markup.Escape(folder)}[/]: {Markup.Escape(string.Join(", ", files))}");
            }
            return FailOn(result.GetValue(failOn)) is { } threshold && findings.Any(f => f.Severity >= threshold)
                ? ExitCodes.VerdictFound
                : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads the log; a log that cannot be read is a usage error naming where.</summary>
    public static LogReading Read(string log, LogOptions options)
    {
        try
        {
            return LogReader.Read(log, options);
        }
        catch (LogFormatException ex)
        {
            throw new UsageException([ex.Message]);
        }
    }

    private static double? ParseMaxNorm(string? text)
    {
        if (text is null)
        {
            return null;
        }
        double value = NumberText.ParseFinite(text, "--max-norm");
        return value >= 0 ? value : throw new UsageException("--max-norm", $"must be 0 (no clipping) or greater, but was {text}.");
    }

    private static HealthSeverity? FailOn(string? text) => text switch
    {
        "warning" => HealthSeverity.Warning,
        "error" => HealthSeverity.Error,
        _ => null,
    };

    /// <summary>
    /// The output folder must be new or empty, and not the log's own folder: a diagnosis never writes beside the log it
    /// reads, nor over an earlier run's or diagnosis's files.
    /// </summary>
    private static void CheckOutputFolder(string folder, string log)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string logFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(log));
        string logFolder = Directory.Exists(logFull) ? logFull : Path.GetDirectoryName(logFull) ?? logFull;
        if (string.Equals(full, logFolder, StringComparison.Ordinal))
        {
            throw new UsageException("--out", $"'{folder}' is the log's own folder; diagnose never writes beside the log it reads: give another folder.");
        }
        if (File.Exists(full))
        {
            throw new UsageException("--out", $"'{folder}' is a file; give a new or empty folder.");
        }
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new UsageException("--out", $"'{folder}' already holds files; give a new or empty folder, so that nothing there is overwritten.");
        }
    }

    private static IReadOnlyList<string> Write(string folder, LogReading reading, IReadOnlyList<HealthFinding> findings, ClipReplay replay)
    {
        TrainRun.CreateOutputFolder(folder);
        AtomicFile.WriteText(Path.Combine(folder, DiagnosisFile.FileName), DiagnosisFile.Json(reading, findings, replay) + "\n");
        var plots = TracePlots.Render(reading.Trace);
        return [DiagnosisFile.FileName, .. RunReport.WriteFiles(folder, plots, DiagnosisPage.Html(reading, findings, replay, plots))];
    }
}
