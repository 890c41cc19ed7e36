using GradClip.Data;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>The dataset's rows, standardized once, from which batches are gathered.</summary>
internal sealed class TrainingBatches
{
    private readonly float[] _features;
    private readonly int _width;
    private readonly int[]? _labels;
    private readonly float[]? _targets;

    /// <summary>
    /// Standardizes every row of <paramref name="data"/> (when a standardizer is given) and a regression target (when
    /// <paramref name="target"/> is given) for gathering.
    /// </summary>
    public TrainingBatches(TabularData data, Standardizer? standardizer, Standardizer? target = null)
    {
        _width = data.FeatureCount;
        _features = standardizer is null ? data.Features.ToArray() : standardizer.Transform(data.Features.AsSpan());
        if (data.Task == TaskKind.Classification)
        {
            _labels = data.Labels.ToArray();
        }
        else
        {
            _targets = target is null ? data.Targets.ToArray() : target.Transform(data.Targets.AsSpan());
        }
    }

    /// <summary>The given rows as a batch.</summary>
    public Batch Take(ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * _width];
        BatchSampler.GatherRows<float>(_features, _width, rows, features);
        var x = Tensor.FromArray(features, rows.Length, _width);
        if (_labels is not null)
        {
            var labels = new int[rows.Length];
            BatchSampler.GatherRows<int>(_labels, 1, rows, labels);
            return new Batch(x, labels, null);
        }
        var targets = new float[rows.Length];
        BatchSampler.GatherRows<float>(_targets, 1, rows, targets);
        return new Batch(x, null, Tensor.FromArray(targets, rows.Length, 1));
    }
}
