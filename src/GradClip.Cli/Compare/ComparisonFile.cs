using GradClip.Cli.Report;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Serialization;

namespace GradClip.Cli.Compare;

/// <summary><c>comparison.json</c>: the comparison's setup and one entry per strategy with the figures of its table row.</summary>
public static class ComparisonFile
{
    /// <summary>Writes the file into <paramref name="folder"/> atomically.</summary>
    /// <param name="folder">The comparison's output folder.</param>
    /// <param name="task">The built-in task's name, or the data file.</param>
    /// <param name="model">The model's architecture, as text.</param>
    /// <param name="seed">The seed every strategy trained with.</param>
    /// <param name="epochs">The epochs every strategy was given.</param>
    /// <param name="metrics">The metrics the task declares; its headline ranks the strategies.</param>
    /// <param name="outcomes">One entry per strategy, in the order given.</param>
    public static void Write(string folder, string task, string model, int seed, int epochs, TaskMetrics metrics, IReadOnlyList<ComparisonRow> outcomes) =>
        AtomicFile.WriteText(Path.Combine(folder, ComparisonRecords.ComparisonFile), MetricsFiles.Json(json =>
        {
            json.WriteString("task", task);
            json.WriteString("model", model);
            json.WriteNumber("seed", seed);
            json.WriteNumber("epochs", epochs);
            json.WriteString("metric", metrics.Headline.Name);
            if (CompareWinner.Pick(outcomes, metrics.Headline) is { } winner)
            {
                json.WriteString("winner", winner.Strategy);
            }
            else
            {
                json.WriteNull("winner");
            }
            json.WriteString("winner_rule", "best final validation figure; diverged or collapsed runs last; ties: lower final validation loss, then order given");
            json.WriteStartArray("strategies");
            foreach (var outcome in outcomes)
            {
                json.WriteStartObject();
                json.WriteString("strategy", outcome.Strategy);
                json.WriteString("folder", outcome.Folder);
                MetricsFiles.Number(json, "final_loss", outcome.FinalLoss);
                MetricsFiles.Number(json, "best_val_metric", outcome.BestValMetric);
                MetricsFiles.Number(json, "final_val_metric", outcome.FinalValMetric);
                json.WriteStartObject("final_metrics");
                foreach (var (name, value) in outcome.FinalMetrics)
                {
                    MetricsFiles.Number(json, name, value);
                }
                json.WriteEndObject();
                json.WriteBoolean("collapsed", outcome.Collapsed);
                json.WriteBoolean("diverged", outcome.Diverged);
                if (outcome.FirstNonFiniteStep is { } step)
                {
                    json.WriteNumber("first_nonfinite_step", step);
                }
                else
                {
                    json.WriteNull("first_nonfinite_step");
                }
                MetricsFiles.Number(json, "clip_rate", outcome.ClipRate);
                MetricsFiles.Number(json, "ms_per_step", Math.Round(outcome.MsPerStep, 4));
                json.WriteNumber("steps", outcome.Steps);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }) + "\n");
}
