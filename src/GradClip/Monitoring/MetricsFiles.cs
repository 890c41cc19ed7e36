using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using GradClip.Serialization;

namespace GradClip.Monitoring;

/// <summary>
/// Writes a run's records as files: <c>metrics.csv</c> and <c>metrics.jsonl</c> (one line per epoch) and <c>steps.jsonl</c>
/// (one line per step), each atomically. JSON has no NaN or ∞, so non-finite figures are written as null there and as
/// <c>NaN</c>/<c>inf</c> in CSV.
/// </summary>
public static class MetricsFiles
{
    /// <summary>The epoch columns before the task's metrics, in order, as both files name them.</summary>
    public static readonly IReadOnlyList<string> LeadingColumns = ["epoch", "train_loss", "val_loss"];

    /// <summary>The epoch columns after the task's metrics, in order, as both files name them.</summary>
    public static readonly IReadOnlyList<string> TrailingColumns =
        ["grad_norm_before_mean", "grad_norm_before_max", "grad_norm_after_mean", "clip_rate", "skipped_steps"];

    /// <summary>The columns of <paramref name="e"/>: the leading ones, its metrics' names in their order, the trailing ones.</summary>
    public static IReadOnlyList<string> EpochColumns(EpochSummary e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return [.. LeadingColumns, .. e.Metrics.Select(m => m.Name), .. TrailingColumns];
    }

    /// <summary>The per-epoch table's file name.</summary>
    public const string EpochsCsvFile = "metrics.csv";

    /// <summary>The per-epoch JSON-lines file's name.</summary>
    public const string EpochsFile = "metrics.jsonl";

    /// <summary>The per-step JSON-lines file's name.</summary>
    public const string StepsFile = "steps.jsonl";

    /// <summary>Writes <c>metrics.csv</c>, <c>metrics.jsonl</c> and <c>steps.jsonl</c> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, IReadOnlyList<EpochSummary> epochs, IReadOnlyList<StepRecord> steps)
    {
        AtomicFile.WriteText(Path.Combine(folder, EpochsCsvFile), EpochsCsv(epochs));
        AtomicFile.WriteText(Path.Combine(folder, EpochsFile), Lines(epochs, EpochJson));
        AtomicFile.WriteText(Path.Combine(folder, StepsFile), Lines(steps, StepJson));
    }

    /// <summary>The epochs as CSV with a header row (naming the first epoch's metrics; none without epochs).</summary>
    public static string EpochsCsv(IReadOnlyList<EpochSummary> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var text = new StringBuilder(epochs.Count > 0 ? CsvHeader(epochs[0]) : string.Join(',', [.. LeadingColumns, .. TrailingColumns]) + "\n");
        foreach (var e in epochs)
        {
            text.Append(EpochCsv(e));
        }
        return text.ToString();
    }

    /// <summary>The CSV header row for epochs like <paramref name="first"/> (a run's epochs share their metrics), with its line feed.</summary>
    public static string CsvHeader(EpochSummary first) => string.Join(',', EpochColumns(first)) + "\n";

    /// <summary>One epoch as a CSV row, with its line feed.</summary>
    public static string EpochCsv(EpochSummary e)
    {
        double?[] values = [e.Epoch, e.TrainLoss, e.ValLoss, .. e.Metrics.Select(m => (double?)m.Value), e.GradNormBeforeMean,
            e.GradNormBeforeMax, e.GradNormAfterMean, e.ClipRate, e.SkippedSteps];
        return string.Join(',', values.Select(CsvNumber)) + "\n";
    }

    /// <summary>One epoch as a JSON object with the <see cref="EpochColumns"/> keys, in their order.</summary>
    public static string EpochJson(EpochSummary e) => Json(json =>
    {
        json.WriteNumber("epoch", e.Epoch);
        Number(json, "train_loss", e.TrainLoss);
        Number(json, "val_loss", e.ValLoss);
        foreach (var metric in e.Metrics)
        {
            Number(json, metric.Name, metric.Value);
        }
        Number(json, "grad_norm_before_mean", e.GradNormBeforeMean);
        Number(json, "grad_norm_before_max", e.GradNormBeforeMax);
        Number(json, "grad_norm_after_mean", e.GradNormAfterMean);
        Number(json, "clip_rate", e.ClipRate);
        json.WriteNumber("skipped_steps", e.SkippedSteps);
    });

    /// <summary>One step as a JSON object, with its per-parameter gradient norms.</summary>
    public static string StepJson(StepRecord s) => Json(json =>
    {
        json.WriteNumber("epoch", s.Epoch);
        json.WriteNumber("step", s.Step);
        Number(json, "loss", s.Loss);
        Number(json, "grad_norm_before", s.NormBefore);
        Number(json, "grad_norm_after", s.NormAfter);
        Number(json, "coefficient", s.Coefficient);
        json.WriteBoolean("clipped", s.Clipped);
        json.WriteBoolean("skipped", s.Skipped);
        Number(json, "lr", s.LearningRate);
        json.WriteStartObject("param_norms");
        foreach (var (name, norm) in s.ParameterNorms)
        {
            Number(json, name, norm);
        }
        json.WriteEndObject();
        json.WriteStartArray("nonfinite");
        foreach (string name in s.NonFiniteParameters)
        {
            json.WriteStringValue(name);
        }
        json.WriteEndArray();
    });

    /// <summary>Writes a number, or null when it is missing or not finite (JSON has no NaN or ∞).</summary>
    public static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>A JSON object written by <paramref name="body"/>, on one line.</summary>
    public static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps names and verdicts readable (≤, ∞, quotes); these files are never embedded in HTML unescaped.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Lines<T>(IEnumerable<T> items, Func<T, string> line) =>
        string.Concat(items.Select(item => line(item) + "\n"));

    private static string CsvNumber(double? value) => value switch
    {
        null => "",
        double v when double.IsNaN(v) => "NaN",
        double v when double.IsPositiveInfinity(v) => "inf",
        double v when double.IsNegativeInfinity(v) => "-inf",
        double v => v.ToString("R", CultureInfo.InvariantCulture),
    };
}
