using GradClip.Data;
using GradClip.Metrics;
using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// What the trainer measures after each epoch, in evaluation mode: the validation loss and the task's declared metrics
/// (<see cref="TaskMetrics.For"/>) on the validation rows, and for classification the accuracy on the training rows.
/// </summary>
internal sealed class EpochEvaluation
{
    /// <summary>
    /// Rows per forward pass, which bounds the memory one pass takes (hundreds of thousands of rows at once would hold each
    /// layer's activations for all of them): a multiple of every GEMM kernel's tile height, so chunks split no tile and
    /// every row's output is the one a single pass gives.
    /// </summary>
    private const int ChunkRows = 12_288;

    private readonly TrainingBatches _batches;
    private readonly Batch _validation;
    private readonly int[] _trainRows;
    private readonly TaskMetrics _metrics;
    private readonly int _classes;
    private readonly double[] _validationTargets;
    private readonly Standardizer? _target;
    private readonly TrainingObjective _objective;

    /// <summary>
    /// Evaluates on the split's rows of <paramref name="data"/>, gathered from <paramref name="batches"/>; a regression's
    /// predictions are taken back to the target's units by <paramref name="target"/> when it standardized them; a language
    /// model (<paramref name="objective"/> <see cref="TrainingObjective.NextToken"/>) reports its validation perplexity.
    /// </summary>
    public EpochEvaluation(TabularData data, DataSplit split, TrainingBatches batches, Standardizer? target = null, TrainingObjective objective = TrainingObjective.RowTargets)
    {
        _batches = batches;
        _validation = batches.Take(split.ValidationRows.AsSpan());
        _trainRows = [.. split.TrainRows];
        _metrics = objective.Metrics(data.Task);
        _objective = objective;
        _classes = data.Task == TaskKind.Classification && objective == TrainingObjective.RowTargets ? data.ClassCount : 0;
        _validationTargets = data.Task == TaskKind.Regression ? [.. split.ValidationRows.Select(r => (double)data.Targets[r])] : [];
        _target = target;
    }

    /// <summary>The metrics this evaluation reports.</summary>
    public TaskMetrics Metrics => _metrics;

    /// <summary>The validation loss (null without validation rows) and the metrics of <paramref name="model"/> as it is now.</summary>
    public (double? ValLoss, IReadOnlyList<MetricValue> Metrics) Measure(Module<Tensor, Tensor> model, Func<Tensor, Batch, Tensor> loss)
    {
        model.Eval();
        using var _ = Tensor.NoGrad();
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        double? valLoss = null;
        if (_validation.Rows > 0 && _objective == TrainingObjective.NextToken)
        {
            var (logits, next) = NextTokenScores.Predict(model, _validation.Features);
            valLoss = Tensor.CrossEntropy(logits, next).Item();
            values[EpochMetric.ValidationPerplexity.Name] = Math.Exp(valLoss.Value);
        }
        else if (_validation.Rows > 0)
        {
            var output = ForwardInChunks(model, _validation.Features);
            valLoss = loss(output, _validation).Item();
            AddValidation(values, output, _validation);
        }
        if (_classes > 0)
        {
            values[EpochMetric.TrainAccuracy.Name] = TrainAccuracy(model);
        }
        return (valLoss, _metrics.Ordered(values));
    }

    /// <summary>
    /// The confusion matrix of <paramref name="model"/> as it is now on the validation rows (true class by row, predicted by
    /// column), or null for regression or without validation rows.
    /// </summary>
    public long[,]? Confusion(Module<Tensor, Tensor> model)
    {
        if (_classes == 0 || _validation.Rows == 0)
        {
            return null;
        }
        model.Eval();
        using var _ = Tensor.NoGrad();
        return ClassificationScores.ConfusionMatrix(ForwardInChunks(model, _validation.Features).ArgMax(1), _validation.Labels, _classes);
    }

    private void AddValidation(Dictionary<string, double> values, Tensor output, Batch batch)
    {
        var scores = batch.Labels is { } labels
            ? ClassificationScores.Validation(output.ArgMax(1), labels, _classes)
            : RegressionScores.Validation(Unstandardized(output), _validationTargets);
        foreach (var (name, value) in scores)
        {
            values[name] = value;
        }
    }

    /// <summary>A regression's outputs in the target's units: un-standardized when the target was standardized for training.</summary>
    private double[] Unstandardized(Tensor output)
    {
        // Measured in the target's own units: the predictions un-standardized, against the targets as the data holds them.
        float[] output32 = output.ToArray();
        _target?.InverseTransform(output32);
        return [.. output32.Select(v => (double)v)];
    }

    /// <summary>The accuracy on the training rows, in forward passes of at most <see cref="ChunkRows"/> rows.</summary>
    private double TrainAccuracy(Module<Tensor, Tensor> model)
    {
        var predicted = new int[_trainRows.Length];
        var labels = new int[_trainRows.Length];
        for (int start = 0; start < _trainRows.Length; start += ChunkRows)
        {
            var batch = _batches.Take(_trainRows.AsSpan(start, Math.Min(ChunkRows, _trainRows.Length - start)));
            model.Forward(batch.Features).ArgMax(1).CopyTo(predicted.AsSpan(start));
            batch.Labels!.CopyTo(labels.AsSpan(start));
        }
        return ClassificationScores.Accuracy(predicted, labels);
    }

    /// <summary>The model's output for every row of <paramref name="features"/>, computed <see cref="ChunkRows"/> rows at a time.</summary>
    private static Tensor ForwardInChunks(Module<Tensor, Tensor> model, Tensor features)
    {
        int rows = features.Shape[0], width = features.Count / Math.Max(rows, 1);
        if (rows <= ChunkRows)
        {
            return model.Forward(features);
        }
        float[]? outputs = null;
        int outputWidth = 0;
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            var output = model.Forward(Tensor.FromArray(features.Span.Slice(start * width, count * width).ToArray(), count, width));
            outputWidth = output.Count / count;
            outputs ??= new float[(long)rows * outputWidth];
            output.Span.CopyTo(outputs.AsSpan(start * outputWidth, count * outputWidth));
        }
        return Tensor.FromArray(outputs!, rows, outputWidth);
    }
}
