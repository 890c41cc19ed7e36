using System.Globalization;
using GradClip.Cli.Report;
using GradClip.Diagnosis;
using GradClip.Logs;
using Spectre.Console;

namespace GradClip.Cli.Diagnose;

/// <summary>What <c>gradclip diagnose</c> prints: what was read, the verdicts, and the counterfactual replay.</summary>
public static class DiagnosisReport
{
    /// <summary>Writes the whole diagnosis of <paramref name="reading"/>.</summary>
    public static void Write(IAnsiConsole console, LogReading reading, IReadOnlyList<HealthFinding> findings, ClipReplay replay)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        grid.AddRow("[bold]Log[/]", Esc(reading.File));
        grid.AddRow("[bold]Format[/]", Esc(LogReader.Describe(reading.Format)));
        grid.AddRow("[bold]Steps[/]", Esc(StepsLine(reading)));
        grid.AddRow("[bold]Columns[/]", Esc(string.Join(", ", reading.Columns.Select(c => $"{c.Key} = {c.Value}"))));
        grid.AddRow("[bold]Clipping[/]", Esc(ClippingLine(reading.Trace.Setup)));
        console.Write(new Panel(grid).Header("gradclip diagnose").Border(BoxBorder.Rounded));
        foreach (string note in reading.Notes)
        {
            console.MarkupLine($"[grey]Note:[/] {Esc(note)}");
        }
        console.WriteLine();
        foreach (var finding in findings)
        {
            string severity = SeverityText(finding.Severity);
            string colour = Verdict.Colour(finding.Kind.ToString(), severity);
            console.MarkupLine($"[{colour} bold]Verdict ({severity}):[/] [{colour}]{Esc(finding.Summary)}[/]");
            console.MarkupLine($"  Evidence: {Esc(finding.Evidence)}");
            console.MarkupLine($"  Next: {Esc(finding.Suggestion)}");
        }
        console.WriteLine();
        ReplayTable.Write(console, replay);
    }

    /// <summary>How many steps the trace holds of how many the run took, and its evaluations.</summary>
    public static string StepsLine(LogReading reading)
    {
        var trace = reading.Trace;
        string steps = trace.Count == 0 ? "no step rows"
            : reading.Format == LogFormat.KerasCsv ? $"none logged: {Text(trace.Count)} epochs, one row each"
            : trace.TotalSteps > trace.Count ? $"{Text(trace.Count)} logged of {Text(trace.TotalSteps)} run" : $"{Text(trace.Count)}, every one logged";
        return $"{steps}; {Text(trace.Epochs.Count)} epoch or evaluation record(s)";
    }

    /// <summary>What the diagnosis takes the run's clipping to be, and where that comes from.</summary>
    public static string ClippingLine(RunSetup setup) => setup.Clipping switch
    {
        ClippingKind.Norm when setup.MaxNorm is { } m && setup.MaxNormAssumed => $"by total norm, max_norm {Num(m)} assumed (the framework's default; the log does not say)",
        ClippingKind.Norm when setup.MaxNorm is { } m => $"by total norm, max_norm {Num(m)}",
        ClippingKind.Norm => "by total norm, max_norm unknown",
        ClippingKind.Value => $"by value{(setup.ClipValue is { } v ? $", clip_value {Num(v)}" : "")}",
        ClippingKind.Adaptive => "adaptive (AutoClip, ZClip or AGC)",
        ClippingKind.None => "none",
        _ => "unknown: the log does not say (give --max-norm)",
    };

    /// <summary>A severity as files and output spell it.</summary>
    public static string SeverityText(HealthSeverity severity) => severity.ToString().ToLowerInvariant();

    private static string Num(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Esc(string text) => Markup.Escape(text);
}
