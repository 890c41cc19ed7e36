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
    /// <summary>The file <c>gradclip evaluate</c> writes into a run's folder unless told another.</summary>
    public const string EvaluationFile = "evaluation.json";

    /// <summary>The summary's file name.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>
    /// Writes the model (only when an epoch's weights were kept: never weights that went NaN or infinite) and the summary,
    /// and the metrics unless <paramref name="metrics"/> is false (a training run appends them to its <see cref="MetricsLog"/>
    /// as it goes); returns the file names of the run's files.
    /// </summary>
    /// <param name="folder">The run's output folder.</param>
    /// <param name="model">The model's description.</param>
    /// <param name="network">The trained network.</param>
    /// <param name="result">What the run recorded.</param>
    /// <param name="findings">The verdicts on the run.</param>
    /// <param name="trainedOn">What the run trained on: the data's (or environment's) name, its rows (or episodes), and the task's kind.</param>
    /// <param name="elapsed">How long the run took.</param>
    /// <param name="metrics">Whether to write the metrics files too.</param>
    public static IReadOnlyList<string> Write(string folder, SavedModel model, Module network, TrainingResult result, IReadOnlyList<HealthFinding> findings,
        (string Source, int Rows, string Task) trainedOn, TimeSpan elapsed, bool metrics)
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
        AtomicFile.WriteText(Path.Combine(folder, SummaryFile), Summary(model, result, findings, trainedOn, elapsed) + "\n");
        string[] logs = [MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile];
        return keepModel ? [.. logs, SavedModel.WeightsFile, SavedModel.DescriptionFile, SummaryFile] : [.. logs, SummaryFile];
    }

    /// <summary>The run's final and best figures, its verdicts and its setup, as one JSON object.</summary>
    public static string Summary(SavedModel model, TrainingResult result, IReadOnlyList<HealthFinding> findings, (string Source, int Rows, string Task) trainedOn, TimeSpan elapsed) => MetricsFiles.Json(json =>
    {
        json.WriteString("data", trainedOn.Source);
        json.WriteNumber("rows", trainedOn.Rows);
        json.WriteString("task", trainedOn.Task);
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
        if (result.ResumedFrom is { } resumed)
        {
            json.WriteStartObject("resumed_from");
            json.WriteNumber("epoch", resumed.Epoch);
            json.WriteNumber("step", resumed.Step);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("resumed_from");
        }
        ConfusionTable.Write(json, result.ValidationConfusion is { } counts ? ConfusionTable.Of(model.ClassNames, counts) : null);
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
