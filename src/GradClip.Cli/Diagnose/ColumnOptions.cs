using System.CommandLine;
using GradClip.Logs;

namespace GradClip.Cli.Diagnose;

/// <summary>The options that name a log's columns (or JSON keys) when their names cannot be guessed.</summary>
public sealed class ColumnOptions
{
    private readonly Option<string?> _step = new("--step-column") { Description = "The column (or JSON key) of the optimizer step." };
    private readonly Option<string?> _loss = new("--loss-column") { Description = "The column of the training loss." };
    private readonly Option<string?> _norm = new("--norm-column") { Description = "The column of the total gradient norm before clipping." };
    private readonly Option<string?> _normAfter = new("--norm-after-column") { Description = "The column of the total gradient norm after clipping." };

    private ColumnOptions()
    {
    }

    /// <summary>Creates the options.</summary>
    public static ColumnOptions Create() => new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_step);
        command.Options.Add(_loss);
        command.Options.Add(_norm);
        command.Options.Add(_normAfter);
    }

    /// <summary>The log options the command line gives, with <paramref name="maxNorm"/>.</summary>
    public LogOptions Read(ParseResult result, double? maxNorm) =>
        new(result.GetValue(_step), result.GetValue(_loss), result.GetValue(_norm), result.GetValue(_normAfter), maxNorm);
}
