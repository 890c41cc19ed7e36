using System.Text;
using GradClip.Monitoring;

namespace GradClip.Logs;

/// <summary>
/// Reads a training log from another tool, or a GradClip run folder, into a run trace, telling the format from the path
/// and the content: Hugging Face Trainer's <c>trainer_state.json</c>, Lightning's and Keras's CSV loggers, a plain CSV
/// or JSON-lines step log, or a GradClip run folder.
/// </summary>
public static class LogReader
{
    /// <summary>The known formats, as an error message lists them.</summary>
    public const string KnownFormats =
        "Hugging Face Trainer trainer_state.json (a JSON object with \"log_history\"); Lightning CSVLogger metrics.csv (step and epoch columns); " +
        "Keras CSVLogger (an epoch column with loss, val_loss…); a CSV or JSON-lines log with a step, a loss and a gradient-norm column " +
        "(name them with --step-column, --loss-column, --norm-column, --norm-after-column); a GradClip run folder (steps.jsonl)";

    private const string TrainerState = "trainer_state.json";
    private const string LightningMetrics = "metrics.csv";

    /// <summary>Reads the log at <paramref name="path"/> (a file, or a folder holding one); a log that cannot be read is a <see cref="LogFormatException"/>.</summary>
    public static LogReading Read(string path, LogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new LogOptions();
        if (Directory.Exists(path))
        {
            return ReadFolder(path, options);
        }
        byte[] head = LogFile.Head(path, 1 << 16);
        ReadOnlySpan<char> text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF').TrimStart();
        if (text.StartsWith("{"))
        {
            return ReadJson(path, text, options);
        }
        if (text.StartsWith("["))
        {
            throw new LogFormatException(path, $"a JSON array is not a log this tool reads. Known formats: {KnownFormats}.");
        }
        return CsvLog.Read(path, options);
    }

    /// <summary>Describes <paramref name="format"/> in words, as output names it.</summary>
    public static string Describe(LogFormat format) => format switch
    {
        LogFormat.HuggingFaceTrainer => "Hugging Face Trainer trainer_state.json",
        LogFormat.LightningCsv => "Lightning CSVLogger metrics.csv",
        LogFormat.KerasCsv => "Keras CSVLogger (one row per epoch)",
        LogFormat.Csv => "CSV step log",
        LogFormat.JsonLines => "JSON-lines step log",
        LogFormat.GradClipRun => "GradClip run folder",
        _ => format.ToString(),
    };

    private static LogReading ReadFolder(string folder, LogOptions options)
    {
        if (File.Exists(Path.Combine(folder, MetricsFiles.StepsFile)))
        {
            return GradClipRunLog.Read(folder, options);
        }
        if (File.Exists(Path.Combine(folder, TrainerState)))
        {
            return HuggingFaceLog.Read(Path.Combine(folder, TrainerState), options);
        }
        if (File.Exists(Path.Combine(folder, LightningMetrics)))
        {
            return CsvLog.Read(Path.Combine(folder, LightningMetrics), options);
        }
        string[] seen = [.. Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(20)!];
        throw new LogFormatException(folder,
            $"the folder holds no log this tool reads: it looks for {MetricsFiles.StepsFile} (a GradClip run), {TrainerState} (Hugging Face Trainer) " +
            $"or {LightningMetrics} (Lightning CSVLogger); it holds {(seen.Length == 0 ? "nothing" : string.Join(", ", seen))}. Give the log file itself for other formats.");
    }

    /// <summary>A JSON file: trainer_state.json when it names log_history, JSON lines otherwise.</summary>
    private static LogReading ReadJson(string path, ReadOnlySpan<char> head, LogOptions options)
    {
        if (head.Contains("\"log_history\"", StringComparison.Ordinal))
        {
            return HuggingFaceLog.Read(path, options);
        }
        int newline = head.IndexOf('\n');
        if (!(newline >= 0 ? head[..newline] : head).TrimEnd().EndsWith("}"))
        {
            throw new LogFormatException(path, $"a JSON document without \"log_history\" (so not a trainer_state.json) whose first line is not a whole object (so not JSON lines). Known formats: {KnownFormats}.");
        }
        bool ownSteps = head.Contains("\"grad_norm_before\"", StringComparison.Ordinal) && head.Contains("\"coefficient\"", StringComparison.Ordinal);
        return ownSteps && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && Path.GetFileName(path) == MetricsFiles.StepsFile
            ? GradClipRunLog.Read(folder, options)
            : JsonLinesLog.Read(path, options, LogFormat.JsonLines, nullIsNonFinite: ownSteps);
    }

    /// <summary>
    /// Checks that a log has figures the diagnosis can judge, and notes what it lacks: a step log needs a loss or a gradient
    /// norm, an epoch log a loss; without either the format is unknown, and the error names the known ones and the columns seen.
    /// </summary>
    internal static void RequireFigures(LogColumns columns, IReadOnlyList<string> names, string path, LogFormat format, List<string> notes)
    {
        if (format == LogFormat.KerasCsv || columns.NameOf(ColumnRole.Step) is null && columns.NameOf(ColumnRole.Loss) is null && columns.NameOf(ColumnRole.NormBefore) is null && columns.NameOf(ColumnRole.EpochLoss) is not null)
        {
            if (columns.NameOf(ColumnRole.EpochLoss) is null && columns.NameOf(ColumnRole.ValLoss) is null)
            {
                throw Unknown(path, names);
            }
            notes.Add("The log has one row per epoch and no gradient norms: each epoch's mean training loss stands in as one step, and the verdicts rest on the losses alone.");
            return;
        }
        if (columns.NameOf(ColumnRole.Loss) is null && columns.NameOf(ColumnRole.NormBefore) is null)
        {
            throw Unknown(path, names);
        }
        if (columns.NameOf(ColumnRole.NormBefore) is null)
        {
            notes.Add("The log holds no gradient norm (looked for grad_norm, grad_2.0_norm_total, grad_norm_before and the like; name it with --norm-column): the verdicts rest on the loss alone.");
        }
        if (columns.NameOf(ColumnRole.Loss) is null)
        {
            notes.Add("The log holds no training loss (name it with --loss-column): the verdicts rest on the gradient norms alone.");
        }
    }

    /// <summary>The columns chosen, by figure, for output.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ColumnsUsed(LogColumns columns)
    {
        (string Figure, ColumnRole Role)[] figures =
        [
            ("step", ColumnRole.Step), ("epoch", ColumnRole.Epoch), ("loss", ColumnRole.Loss), ("grad_norm", ColumnRole.NormBefore),
            ("grad_norm_after", ColumnRole.NormAfter), ("learning_rate", ColumnRole.LearningRate), ("epoch_loss", ColumnRole.EpochLoss),
            ("val_loss", ColumnRole.ValLoss), ("val_accuracy", ColumnRole.ValAccuracy),
        ];
        var used = figures.Where(f => columns.NameOf(f.Role) is not null).Select(f => KeyValuePair.Create(f.Figure, columns.NameOf(f.Role)!)).ToList();
        if (columns.Layers.Count > 0)
        {
            used.Add(KeyValuePair.Create("layer_norms", $"{columns.Layers.Count} layers"));
        }
        return used;
    }

    private static LogFormatException Unknown(string path, IReadOnlyList<string> names) =>
        new(path, $"cannot tell what kind of training log this is: it has no loss or gradient-norm column. Known formats: {KnownFormats}. Columns seen: {LogColumns.Seen(names)}.");
}
