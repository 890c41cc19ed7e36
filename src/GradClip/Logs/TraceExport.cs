using System.Globalization;
using System.Text;
using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>
/// Writes a run trace as other tools would have logged the same run, so that <c>diagnose</c> can be checked against
/// the run itself: Hugging Face Trainer's <c>trainer_state.json</c> (every <c>logging_steps</c> steps the mean loss of the
/// interval rounded to 4 decimals, the logged step's grad_norm and learning rate, fractional epochs, an <c>eval_*</c>
/// entry after each epoch, NaN and ∞ written bare as Python writes them) and Lightning's <c>CSVLogger</c>
/// <c>metrics.csv</c> (epochs and steps from 0, a step row per step with the total and per-layer norms, an epoch row
/// with the epoch's mean loss and one with the validation figures).
/// </summary>
internal static class TraceExport
{
    /// <summary>The trace as <c>trainer_state.json</c> logging every <paramref name="loggingSteps"/> steps.</summary>
    public static string TrainerState(RunTrace trace, int loggingSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loggingSteps, 1);
        var entries = new List<string>();
        var ends = EpochEnds(trace);
        double pending = 0;
        int pendingCount = 0;
        double stepsPerEpoch = Math.Max(1, trace.Count / (double)Math.Max(1, ends.Count));
        for (int row = 0; row < trace.Count; row++)
        {
            pending += trace.Loss[row] ?? double.NaN;
            pendingCount++;
            int step = trace.Steps[row];
            if (step % loggingSteps == 0)
            {
                entries.Add($"{{\"epoch\": {Json((row + 1) / stepsPerEpoch)}, \"grad_norm\": {Json(trace.NormBefore[row])}, \"learning_rate\": {Json(trace.LearningRate[row])}, \"loss\": {Json(Math.Round(pending / pendingCount, 4))}, \"step\": {Text(step)}}}");
                pending = 0;
                pendingCount = 0;
            }
            if (ends.TryGetValue(row, out var epoch))
            {
                entries.Add($"{{\"epoch\": {Json(epoch.Epoch)}, \"eval_accuracy\": {Json(epoch.ValAccuracy)}, \"eval_loss\": {Json(epoch.ValLoss)}, \"eval_runtime\": 0.5, \"step\": {Text(step)}}}");
            }
        }
        var text = new StringBuilder("{\n  \"epoch\": ").Append(Json((double)ends.Count)).Append(",\n  \"global_step\": ").Append(Text(trace.TotalSteps))
            .Append(",\n  \"log_history\": [\n    ").AppendJoin(",\n    ", entries).Append("\n  ],\n  \"logging_steps\": ").Append(Text(loggingSteps))
            .Append(",\n  \"max_steps\": ").Append(Text(trace.TotalSteps)).Append("\n}\n");
        return text.ToString();
    }

    /// <summary>The trace as Lightning's <c>metrics.csv</c>, every step logged.</summary>
    public static string LightningCsv(RunTrace trace)
    {
        var layers = trace.LayerNorms;
        var text = new StringBuilder("epoch,");
        foreach (var layer in layers)
        {
            text.Append("grad_2.0_norm/").Append(layer.Name).Append(',');
        }
        text.Append("grad_2.0_norm_total,lr-SGD,step,train_loss_epoch,train_loss_step,val_acc,val_loss\n");
        string emptyLayers = new(',', layers.Count);
        var ends = EpochEnds(trace);
        double epochLoss = 0;
        int epochSteps = 0;
        for (int row = 0; row < trace.Count; row++)
        {
            int epoch = (int)Math.Ceiling(trace.Epoch[row] ?? 1) - 1;
            string step = Text(trace.Steps[row] - 1);
            text.Append(Text(epoch)).Append(',');
            foreach (var layer in layers)
            {
                text.Append(Csv(layer[row])).Append(',');
            }
            text.Append(Csv(trace.NormBefore[row])).Append(',').Append(Csv(trace.LearningRate[row])).Append(',').Append(step).Append(",,")
                .Append(Csv(trace.Loss[row])).Append(",,\n");
            epochLoss += trace.Loss[row] ?? double.NaN;
            epochSteps++;
            if (ends.TryGetValue(row, out var record))
            {
                text.Append(Text(epoch)).Append(',').Append(emptyLayers).Append(",,").Append(step).Append(',').Append(Csv(epochLoss / epochSteps)).Append(",,,\n");
                text.Append(Text(epoch)).Append(',').Append(emptyLayers).Append(",,").Append(step).Append(",,,").Append(Csv(record.ValAccuracy)).Append(',').Append(Csv(record.ValLoss)).Append('\n');
                epochLoss = 0;
                epochSteps = 0;
            }
        }
        return text.ToString();
    }

    /// <summary>The row that ends each epoch record's epoch (its step's row, else the last row of that epoch), with the record.</summary>
    private static Dictionary<int, EpochRecord> EpochEnds(RunTrace trace)
    {
        var ends = new Dictionary<int, EpochRecord>();
        foreach (var record in trace.Epochs)
        {
            int row = record.Step is { } step ? trace.RowOf(step) : -1;
            if (row < 0)
            {
                for (int r = 0; r < trace.Count; r++)
                {
                    if (trace.Epoch[r] is { } e && e <= record.Epoch)
                    {
                        row = r;
                    }
                }
            }
            if (row >= 0)
            {
                ends[row] = record;
            }
        }
        return ends;
    }

    /// <summary>A number as Python's json module writes it (bare NaN, Infinity, -Infinity), null when missing.</summary>
    private static string Json(double? value) => value switch
    {
        null => "null",
        double v when double.IsNaN(v) => "NaN",
        double v when double.IsPositiveInfinity(v) => "Infinity",
        double v when double.IsNegativeInfinity(v) => "-Infinity",
        double v => v.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A cell as Lightning writes it: empty when missing, nan/inf as Python prints them.</summary>
    private static string Csv(double? value) => value switch
    {
        null => "",
        double v when double.IsNaN(v) => "nan",
        double v when double.IsPositiveInfinity(v) => "inf",
        double v when double.IsNegativeInfinity(v) => "-inf",
        double v => v.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
