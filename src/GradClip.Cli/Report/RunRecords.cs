using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Monitoring;

namespace GradClip.Cli.Report;

/// <summary>
/// A training run read back from its folder: <c>metrics.jsonl</c>, <c>steps.jsonl</c> and <c>summary.json</c>. A file that is
/// missing or malformed is a <see cref="UsageException"/> naming the file (and the line, for the JSON-lines files).
/// </summary>
/// <param name="Epochs">One row per epoch, in the file's order.</param>
/// <param name="Steps">One row per optimizer step, in the file's order.</param>
/// <param name="Summary">The run's setup, ending and verdicts.</param>
public sealed record RunRecords(IReadOnlyList<EpochRow> Epochs, IReadOnlyList<StepRow> Steps, RunSummary Summary)
{
    /// <summary>Reads the run in <paramref name="folder"/>.</summary>
    public static RunRecords Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException([$"'{folder}' is not a folder: give the output folder of a 'gradclip train' run."]);
        }
        var epochs = ReadLines(Path.Combine(folder, MetricsFiles.EpochsFile), ReadEpoch);
        var steps = ReadLines(Path.Combine(folder, MetricsFiles.StepsFile), ReadStep);
        string summaryPath = Path.Combine(folder, RunFiles.SummaryFile);
        var summary = Parse(summaryPath, null, ReadText(summaryPath), ReadSummary);
        return new RunRecords(epochs, steps, summary);
    }

    private static List<T> ReadLines<T>(string path, Func<JsonElement, T> read)
    {
        var rows = new List<T>();
        int number = 0;
        foreach (string line in ReadText(path).Split('\n'))
        {
            number++;
            if (line.Trim().Length > 0)
            {
                rows.Add(Parse(path, number, line, read));
            }
        }
        return rows;
    }

    /// <summary>The text of a run's file; a file that cannot be read is a <see cref="UsageException"/> naming it.</summary>
    internal static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
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
        catch (InvalidDataException ex)
        {
            string where = line is { } n ? $"{path}, line {n.ToString(CultureInfo.InvariantCulture)}" : path;
            throw new UsageException([$"{where}: {ex.Message}"]);
        }
    }

    private static EpochRow ReadEpoch(JsonElement json) => new(
        JsonFields.Integer(json, "epoch"),
        JsonFields.NullableNumber(json, "train_loss"),
        JsonFields.NullableNumber(json, "val_loss"),
        JsonFields.NullableNumber(json, "val_accuracy"),
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

    private static RunSummary ReadSummary(JsonElement json) => new(
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
