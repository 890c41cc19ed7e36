using GradClip.Cli.Tasks;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Report;

/// <summary>
/// A training run read back from its folder: <c>metrics.jsonl</c>, <c>steps.jsonl</c> and <c>summary.json</c>. A file that is
/// missing or malformed is a <see cref="UsageException"/> naming the file (and the line, for the JSON-lines files).
/// </summary>
/// <param name="Epochs">One row per epoch, in the file's order.</param>
/// <param name="Steps">One row per optimizer step, in the file's order.</param>
/// <param name="Summary">The run's setup, ending and verdicts.</param>
/// <param name="WriterProcess">
/// The process that is still training the run, when it is in progress: the records are then those of its last checkpoint,
/// and the summary has no verdicts yet.
/// </param>
public sealed record RunRecords(IReadOnlyList<EpochRow> Epochs, IReadOnlyList<StepRow> Steps, RunSummary Summary, int? WriterProcess = null)
{
    /// <summary>Whether the run stopped (Ctrl+C, a signal, a crash) before writing its summary: the records are those of its last checkpoint, and <c>--resume</c> continues it.</summary>
    public bool Interrupted { get; init; }

    /// <summary>A language model's perplexity against its baseline and generated text, or null for other runs.</summary>
    public TextSample? Sample { get; init; }

    /// <summary>The largest summary accepted.</summary>
    private const int MaxSummaryBytes = 64 << 20;

    /// <summary>The largest metrics log accepted (a million steps with a few dozen parameters each).</summary>
    private const int MaxLogBytes = 1_000_000_000;

    /// <summary>
    /// Reads the run in <paramref name="folder"/>; a run that a live process is still training is read up to the offsets of
    /// its last checkpoint (its summary.json, if any, is an earlier part's) and marked with <see cref="WriterProcess"/>.
    /// </summary>
    /// <param name="folder">The run's folder.</param>
    /// <param name="holdsLock">The caller holds the folder's lock: it is the run writing its own report, whose files are complete.</param>
    public static RunRecords Read(string folder, bool holdsLock = false) => Read(folder, holdsLock, steps: null);

    /// <summary>
    /// Reads a finished run's records as <see cref="Read(string, bool)"/> does, but takes its steps as given: the run that
    /// wrote <c>steps.jsonl</c> has them in memory, and a hundred thousand lines would cost it seconds to read back.
    /// </summary>
    internal static RunRecords Read(string folder, bool holdsLock, IReadOnlyList<StepRow>? steps)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException([$"'{folder}' is not a folder: give the output folder of a 'gradclip train' run."]);
        }
        if (!holdsLock && RunFolderLock.Holder(folder) is { } writer)
        {
            return ReadInProgress(folder, writer);
        }
        if (!File.Exists(Path.Combine(folder, RunFiles.SummaryFile)) && File.Exists(Path.Combine(TrainRun.CheckpointFolderOf(folder), CheckpointFolder.MarkerFile)))
        {
            // Stopped by Ctrl+C, a signal or a crash before its files were written: its records up to its last checkpoint.
            return ReadInProgress(folder, null) with { Interrupted = true };
        }
        var epochs = ReadLines(Path.Combine(folder, MetricsFiles.EpochsFile), null, ReadEpoch);
        steps ??= ReadLines(Path.Combine(folder, MetricsFiles.StepsFile), null, ReadStep);
        string summaryPath = Path.Combine(folder, RunFiles.SummaryFile);
        var summary = Parse(summaryPath, null, ReadText(summaryPath, MaxSummaryBytes), ReadSummary);
        return new RunRecords(epochs, steps, summary) { Sample = TextSample.Read(folder) };
    }

    /// <summary>The records a live run's last checkpoint covers (none before its first), with a summary of what is known so far.</summary>
    private static RunRecords ReadInProgress(string folder, int? writer)
    {
        string checkpoints = TrainRun.CheckpointFolderOf(folder);
        CheckpointContext? context = null;
        if (File.Exists(Path.Combine(checkpoints, CheckpointFolder.MarkerFile)))
        {
            try
            {
                context = CheckpointFolder.LoadContext(checkpoints);
            }
            catch (CheckpointFormatException ex)
            {
                throw new UsageException([ex.Message]);
            }
        }
        long Offset(string file) => context?.LogOffsets.GetValueOrDefault(file) ?? 0;
        var epochs = ReadLines(Path.Combine(folder, MetricsFiles.EpochsFile), Offset(MetricsFiles.EpochsFile), ReadEpoch);
        var steps = ReadLines(Path.Combine(folder, MetricsFiles.StepsFile), Offset(MetricsFiles.StepsFile), ReadStep);
        var trainedOn = context?.TrainedOn ?? new Dictionary<string, string>();
        var summary = new RunSummary(
            trainedOn.GetValueOrDefault("data", "(not known until its first checkpoint)"),
            int.TryParse(trainedOn.GetValueOrDefault("rows"), NumberStyles.None, CultureInfo.InvariantCulture, out int rows) ? rows : 0,
            context?.Options.GetValueOrDefault("task") ?? "its task", "partly trained", epochs.Count, steps.Count, 0, null, [],
            [.. (context?.Options ?? new Dictionary<string, string>()).Select(o => KeyValuePair.Create(o.Key, o.Value))], 0);
        return new RunRecords(epochs, steps, summary, writer);
    }

    private static List<T> ReadLines<T>(string path, long? length, Func<JsonElement, T> read)
    {
        var rows = new List<T>();
        int number = 0;
        string text = length is { } covered ? ReadFirst(path, covered) : ReadText(path, MaxLogBytes);
        foreach (string line in text.Split('\n'))
        {
            number++;
            if (line.Trim().Length > 0)
            {
                rows.Add(Parse(path, number, line, read));
            }
        }
        return rows;
    }

    /// <summary>The text of a run's file, at most <paramref name="maxBytes"/> long; a file that cannot be read is a <see cref="UsageException"/> naming it.</summary>
    internal static string ReadText(string path, int maxBytes) => Read(path, () => RegularFile.ReadAllBytes(path, maxBytes));

    /// <summary>The first <paramref name="count"/> bytes of a run's log as text.</summary>
    private static string ReadFirst(string path, long count) =>
        count > MaxLogBytes
            ? throw new UsageException([$"{path}: its last checkpoint covers {count} bytes, more than a log can be ({MaxLogBytes})."])
            : Read(path, () => RegularFile.ReadFirst(path, (int)count));

    private static string Read(string path, Func<byte[]> read)
    {
        try
        {
            byte[] bytes = read();
            return new UTF8Encoding(false).GetString(bytes.AsSpan(bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string why = ex is FileNotFoundException or DirectoryNotFoundException ? "the file is missing" : ex.Message;
            throw new UsageException([$"{path}: cannot read the run's file: {why}."]);
        }
    }

    private static T Parse<T>(string path, int? line, string text, Func<JsonElement, T> read)
    {
        try
        {
            return read(JsonFields.Object(text));
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
        {
            // InvalidOperationException: a string or key escaping a lone surrogate (\ud800) parses, then fails when read as text.
            string where = line is { } n ? $"{path}, line {n.ToString(CultureInfo.InvariantCulture)}" : path;
            string problem = ex is InvalidDataException ? ex.Message : $"holds a string that is not valid Unicode text ({ex.Message})";
            throw new UsageException([$"{where}: {problem}"]);
        }
    }

    private static EpochRow ReadEpoch(JsonElement json) => new(
        JsonFields.Integer(json, "epoch"),
        JsonFields.NullableNumber(json, "train_loss"),
        JsonFields.NullableNumber(json, "val_loss"),
        [.. json.EnumerateObject().Where(p => TaskMetrics.Named(p.Name) is not null && p.Name != EpochMetric.ValidationLoss.Name)
            .Select(p => KeyValuePair.Create(p.Name, JsonFields.NullableNumber(json, p.Name)))],
        JsonFields.NullableNumber(json, "grad_norm_before_mean"),
        JsonFields.NullableNumber(json, "grad_norm_before_max"),
        JsonFields.NullableNumber(json, "grad_norm_after_mean"),
        JsonFields.NullableNumber(json, "clip_rate"),
        JsonFields.Integer(json, "skipped_steps"));

    private static StepRow ReadStep(JsonElement json) => new(
        JsonFields.Integer(json, "epoch"),
        JsonFields.Integer(json, "step"),
        JsonFields.NullableNumber(json, "loss"),
        JsonFields.NullableNumber(json, "grad_norm_before"),
        JsonFields.NullableNumber(json, "grad_norm_after"),
        JsonFields.Boolean(json, "clipped"),
        JsonFields.Boolean(json, "skipped"),
        JsonFields.Entries(json, "param_norms").Select(p => KeyValuePair.Create(p.Name, ParameterNorm(p))).ToList());

    private static double? ParameterNorm(JsonProperty entry) => entry.Value.ValueKind switch
    {
        JsonValueKind.Number when entry.Value.TryGetDouble(out double norm) => norm,
        JsonValueKind.Null => null,
        _ => throw new InvalidDataException($"'param_norms' entry '{entry.Name}' should be a number or null, but is {entry.Value.GetRawText()}."),
    };

    private static RunSummary ReadSummary(JsonElement json) =>
        ReadSetup(json) with { Confusion = ConfusionTable.Read(json), ResumedFrom = ReadResumedFrom(json) };

    /// <summary>Where the run was resumed from: the optional <c>resumed_from</c> object of epoch and step.</summary>
    private static (int, int)? ReadResumedFrom(JsonElement json) =>
        json.TryGetProperty("resumed_from", out var value) && value.ValueKind != JsonValueKind.Null
            ? (JsonFields.Integer(value, "epoch"), JsonFields.Integer(value, "step"))
            : null;

    private static RunSummary ReadSetup(JsonElement json) => new(
        JsonFields.Text(json, "data"),
        JsonFields.Integer(json, "rows"),
        JsonFields.Text(json, "task"),
        JsonFields.Text(json, "model"),
        JsonFields.Integer(json, "epochs_run"),
        JsonFields.Integer(json, "steps"),
        JsonFields.Integer(json, "best_epoch"),
        JsonFields.NullableText(json, "stop_reason"),
        JsonFields.Items(json, "verdicts").Select(ReadVerdict).ToList(),
        JsonFields.Entries(json, "options").Select(o => KeyValuePair.Create(o.Name, OptionValue(o))).ToList(),
        JsonFields.Number(json, "seconds"));

    private static Verdict ReadVerdict(JsonElement json) =>
        json.ValueKind != JsonValueKind.Object
            ? throw new InvalidDataException($"each of 'verdicts' should be an object, but one is {json.GetRawText()}.")
            : new Verdict(
                JsonFields.Text(json, "kind"),
                JsonFields.Text(json, "summary"),
                JsonFields.Text(json, "evidence"),
                JsonFields.Text(json, "suggestion"),
                JsonFields.OptionalInteger(json, "first_step"),
                // Runs written before verdicts had a severity: a healthy one is informational, any other calls for action.
                json.TryGetProperty("severity", out _) ? JsonFields.Text(json, "severity") : JsonFields.Text(json, "kind") == "Healthy" ? "info" : "warning");

    private static string OptionValue(JsonProperty option) =>
        option.Value.ValueKind == JsonValueKind.String
            ? option.Value.GetString()!
            : throw new InvalidDataException($"option '{option.Name}' should be a string, but is {option.Value.GetRawText()}.");
}
