using GradClip.Cli.Report;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Train;

/// <summary>The files a training run leaves in its output folder, each written atomically.</summary>
public static class RunFiles
{
    /// <summary>The summary's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>
    /// Writes the model (only when an epoch's weights were kept: never weights that went NaN or infinite) and the summary,
    /// and the metrics unless <paramref name="metrics"/> is false (a training run appends them to its <see cref="MetricsLog"/>
    /// as it goes); returns the file names of the run's files.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, SavedModel model, Module network, TrainingResult result, IReadOnlyList<HealthFinding> findings, TabularData data, TimeSpan elapsed, bool metrics)
    {
        bool keepModel = result.BestEpoch > 0;
        if (keepModel)
        {
            model.Save(folder, network);
        }
        if (metrics)
        {
            MetricsFiles.Write(folder, result.Epochs, result.Steps);
        }
        AtomicFile.WriteText(Path.Combine(folder, SummaryFile), Summary(model, result, findings, data, elapsed) + "\n");
        string[] logs = [MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile];
        return keepModel ? [.. logs, SavedModel.WeightsFile, SavedModel.DescriptionFile, SummaryFile] : [.. logs, SummaryFile];
    }

    /// <summary>The run's final and best figures, its verdicts and its setup, as one JSON object.</summary>
    public static string Summary(SavedModel model, TrainingResult result, IReadOnlyList<HealthFinding> findings, TabularData data, TimeSpan elapsed) => MetricsFiles.Json(json =>
    {
        json.WriteString("data", data.Source);
        json.WriteNumber("rows", data.RowCount);
        json.WriteString("task", data.Task == TaskKind.Classification ? "classification" : "regression");
        json.WriteString("model", model.Architecture.Describe());
        json.WriteNumber("epochs_run", result.Epochs.Count);
        json.WriteNumber("steps", result.Steps.Count);
        json.WriteNumber("best_epoch", result.BestEpoch);
        json.WriteBoolean("model_saved", result.BestEpoch > 0);
        json.WritePropertyName("final");
        json.WriteRawValue(result.Epochs.Count > 0 ? MetricsFiles.EpochJson(result.Epochs[^1]) : "null");
        json.WritePropertyName("best");
        json.WriteRawValue(result.Best is { } best ? MetricsFiles.EpochJson(best) : "null");
        if (result.StopReason is null)
        {
            json.WriteNull("stop_reason");
        }
        else
        {
            json.WriteString("stop_reason", result.StopReason);
        }
        if (result.EarlyStop is null)
        {
            json.WriteNull("early_stop");
        }
        else
        {
            json.WriteString("early_stop", result.EarlyStop);
        }
        ConfusionTable.Write(json, result.ValidationConfusion is { } counts ? ConfusionTable.Of(data.ClassNames, counts) : null);
        json.WriteStartArray("verdicts");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("kind", finding.Kind.ToString());
            json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
            json.WriteString("summary", finding.Summary);
            json.WriteString("evidence", finding.Evidence);
            json.WriteString("suggestion", finding.Suggestion);
            if (finding.FirstStep is { } step)
            {
                json.WriteNumber("first_step", step);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("options");
        foreach (var (key, value) in model.Options)
        {
            json.WriteString(key, value);
        }
        json.WriteEndObject();
        json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
    });
}
