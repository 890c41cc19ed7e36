using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Data;
using GradClip.Metrics;
using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Cli.Evaluate;

/// <summary>
/// A saved model measured on a labelled file: its loss and the held-out metrics its task declares (those named
/// <c>val_…</c> in training, here named without the prefix), and for classification the confusion matrix.
/// </summary>
/// <param name="Rows">How many rows were evaluated.</param>
/// <param name="Loss">The training objective on the rows (cross-entropy, or mean squared error on the target as the model was trained on it).</param>
/// <param name="Metrics">Each metric with its value, in the declared order.</param>
/// <param name="Confusion">The confusion matrix, for classification; null for regression.</param>
public sealed record Evaluation(int Rows, double Loss, IReadOnlyList<(EpochMetric Metric, double Value)> Metrics, ConfusionTable? Confusion)
{
    /// <summary>The prefix of the declared metrics that are measured on held-out rows.</summary>
    private const string HeldOut = "val_";

    /// <summary>Rows per forward pass, which bounds the memory one pass takes.</summary>
    private const int ChunkRows = 8192;

    /// <summary>A metric's name in the output: its declared name without the <c>val_</c> prefix (<c>accuracy</c>, <c>rmse</c>).</summary>
    public static string Key(EpochMetric metric) => metric.Name[HeldOut.Length..];

    /// <summary>Evaluates <paramref name="network"/>, described by <paramref name="model"/>, on <paramref name="data"/> (read with the model's columns).</summary>
    /// <exception cref="UsageException">The data's columns or classes do not match the model's (exit 2, naming them).</exception>
    public static Evaluation Of(SavedModel model, Module<Tensor, Tensor> network, TabularData data, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        float[] inputs = model.PrepareInputs(InModelOrder(model, data, source));
        float[] outputs = Forward(network, inputs, data.RowCount, model.FeatureNames.Count);
        var declared = TaskMetrics.For(model.Task).Metrics.Where(m => m.Name.StartsWith(HeldOut, StringComparison.Ordinal)).ToList();
        int width = model.Architecture.Outputs;
        if (model.Task == TaskKind.Classification)
        {
            int[] labels = Labels(model, data, source);
            var logits = Tensor.FromArray(outputs, data.RowCount, width);
            double loss = Tensor.CrossEntropy(logits, labels).Item();
            int[] predicted = logits.ArgMax(1);
            var scores = ClassificationScores.Validation(predicted, labels, width);
            var confusion = ConfusionTable.Of(model.ClassNames, ClassificationScores.ConfusionMatrix(predicted, labels, width));
            return new Evaluation(data.RowCount, loss, [.. declared.Select(m => (m, scores[m.Name]))], confusion);
        }
        float[] trainedTargets = model.TargetStandardizer?.Transform(data.Targets.AsSpan()) ?? [.. data.Targets];
        double squared = outputs.Zip(trainedTargets, (o, t) => (double)(o - t) * (o - t)).Sum();
        model.RestoreOutputs(outputs);
        var values = RegressionScores.Validation([.. outputs.Select(v => (double)v)], [.. data.Targets.Select(v => (double)v)]);
        return new Evaluation(data.RowCount, squared / data.RowCount, [.. declared.Select(m => (m, values[m.Name]))], null);
    }

    /// <summary>The data's features rearranged into the model's column order; refuses a file whose columns differ from the model's.</summary>
    private static float[] InModelOrder(SavedModel model, TabularData data, string source)
    {
        var missing = model.FeatureNames.Except(data.FeatureNames, StringComparer.Ordinal).ToList();
        var extra = data.FeatureNames.Except(model.FeatureNames, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"'{source}' lacks the model's column(s) {string.Join(", ", missing)}");
            }
            if (extra.Count > 0)
            {
                problems.Add($"'{source}' has column(s) the model was not trained on: {string.Join(", ", extra)} (leave them out with --ignore-columns)");
            }
            throw new UsageException("--data", $"{string.Join("; ", problems)}. The model takes {string.Join(", ", model.FeatureNames)} and predicts {model.TargetName}.");
        }
        int[] position = [.. model.FeatureNames.Select(name => data.FeatureNames.IndexOf(name))];
        var features = new float[data.RowCount * position.Length];
        for (int row = 0; row < data.RowCount; row++)
        {
            var values = data.Row(row);
            for (int j = 0; j < position.Length; j++)
            {
                features[row * position.Length + j] = values[position[j]];
            }
        }
        return features;
    }

    /// <summary>Each row's class as the model numbers its classes; refuses a label the model does not know.</summary>
    private static int[] Labels(SavedModel model, TabularData data, string source)
    {
        var index = model.ClassNames.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        if (data.ClassNames.FirstOrDefault(name => !index.ContainsKey(name)) is { } unknown)
        {
            throw new UsageException("--data",
                $"'{source}' has the class '{unknown}' in column '{model.TargetName}', which the model never saw; it knows {string.Join(", ", model.ClassNames)}.");
        }
        return [.. data.Labels.Select(label => index[data.ClassNames[label]])];
    }

    /// <summary>The network's outputs for the prepared inputs, in forward passes of at most <see cref="ChunkRows"/> rows.</summary>
    private static float[] Forward(Module<Tensor, Tensor> network, float[] inputs, int rows, int width)
    {
        network.Eval();
        using var _ = Tensor.NoGrad();
        var outputs = new List<float>();
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            outputs.AddRange(network.Forward(Tensor.FromArray(inputs.AsSpan(start * width, count * width).ToArray(), count, width)).ToArray());
        }
        return [.. outputs];
    }
}
