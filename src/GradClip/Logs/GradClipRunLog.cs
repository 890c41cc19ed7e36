using System.Globalization;
using System.Text.Json;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Monitoring;

namespace GradClip.Logs;

/// <summary>
/// Reads a GradClip run folder: the steps from <c>steps.jsonl</c> (NaN and ∞ written as null), the epochs from
/// <c>metrics.jsonl</c>, the setup (clipping, max_norm, classes, steps) from <c>summary.json</c>, and a language model's unigram baseline from <c>sample.json</c>.
/// </summary>
internal static class GradClipRunLog
{
    /// <summary>The run summary's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>The file in which a language model's run folder records its generated sample and unigram baseline.</summary>
    public const string SampleFile = "sample.json";

    /// <summary>Reads the run in <paramref name="folder"/>.</summary>
    public static LogReading Read(string folder, LogOptions options)
    {
        string stepsPath = Path.Combine(folder, MetricsFiles.StepsFile);
        var steps = JsonLinesLog.Collect(stepsPath, options, LogFormat.GradClipRun, nullIsNonFinite: true);
        string epochsPath = Path.Combine(folder, MetricsFiles.EpochsFile);
        if (File.Exists(epochsPath))
        {
            foreach (var epoch in JsonLinesLog.Read(epochsPath, new LogOptions(), LogFormat.GradClipRun, nullIsNonFinite: false, epochLevel: true).Trace.Epochs)
            {
                steps.Collector.AddEpoch(epoch);
            }
        }
        var trace = steps.Collector.Build(Setup(Path.Combine(folder, SummaryFile), options));
        return new LogReading(trace, LogFormat.GradClipRun, folder, LogReader.ColumnsUsed(steps.Columns), steps.Notes);
    }

    /// <summary>The setup recorded in <c>summary.json</c>; the user's --max-norm, when given, wins.</summary>
    private static RunSetup Setup(string path, LogOptions options)
    {
        var setup = new RunSetup { Source = "GradClip run folder" };
        if (File.Exists(path))
        {
            setup = FromSummary(path, setup);
        }
        return options.MaxNorm switch
        {
            0 => setup with { Clipping = ClippingKind.None, MaxNorm = null },
            { } given => setup with { Clipping = ClippingKind.Norm, MaxNorm = given },
            null => setup,
        };
    }

    private static RunSetup FromSummary(string path, RunSetup setup)
    {
        try
        {
            using var summary = JsonDocument.Parse(LogFile.ReadAll(path));
            var root = summary.RootElement;
            if (root.TryGetProperty("steps", out var steps) && steps.TryGetInt32(out int total))
            {
                setup = setup with { TotalSteps = total };
            }
            if (root.TryGetProperty("task", out var task) && task.ValueKind == JsonValueKind.String)
            {
                setup = task.GetString() switch
                {
                    "classification" => setup with { Task = TaskKind.Classification, ClassCount = Classes(root) },
                    "regression" => setup with { Task = TaskKind.Regression },
                    "language model" => setup with { UnigramLoss = UnigramLoss(Path.Combine(Path.GetDirectoryName(path)!, SampleFile)) },
                    _ => setup,
                };
            }
            return root.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object ? Clipping(o, setup) : setup;
        }
        catch (JsonException ex)
        {
            throw new LogFormatException(path, $"not valid JSON: {ex.Message}", (int?)(ex.LineNumber + 1));
        }
    }

    /// <summary>
    /// The log of the unigram perplexity a language model's <c>sample.json</c> records (the validation loss of predicting
    /// each token by its frequency), or null when the file or the figure is missing.
    /// </summary>
    private static double? UnigramLoss(string samplePath)
    {
        if (!File.Exists(samplePath))
        {
            return null;
        }
        try
        {
            using var sample = JsonDocument.Parse(LogFile.ReadAll(samplePath));
            return sample.RootElement.ValueKind == JsonValueKind.Object && sample.RootElement.TryGetProperty("unigram_perplexity", out var perplexity)
                && perplexity.TryGetDouble(out double value) && value > 0 && double.IsFinite(value) ? Math.Log(value) : null;
        }
        catch (JsonException ex)
        {
            throw new LogFormatException(samplePath, $"not valid JSON: {ex.Message}", (int?)(ex.LineNumber + 1));
        }
    }

    /// <summary>The class count: the width of the model's last layer (<c>"model": "10-64-32-3"</c>).</summary>
    private static int? Classes(JsonElement root) =>
        root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String
        && int.TryParse(model.GetString()!.Split('-')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int classes) ? classes : null;

    private static RunSetup Clipping(JsonElement options, RunSetup setup)
    {
        string? Option(string name) => options.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        double? Number(string name) => LogNumber.TryParse(Option(name), out double v) && double.IsFinite(v) ? v : null;
        return Option("clip") switch
        {
            "none" => setup with { Clipping = ClippingKind.None },
            "norm" => setup with { Clipping = ClippingKind.Norm, MaxNorm = Number("max_norm") },
            "value" => setup with { Clipping = ClippingKind.Value, ClipValue = Number("clip_value") },
            "autoclip" or "zclip" or "agc" => setup with { Clipping = ClippingKind.Adaptive },
            _ => setup,
        };
    }
}
