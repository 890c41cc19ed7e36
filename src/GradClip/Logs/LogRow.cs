using System.Globalization;
using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>
/// Gathers the figures of one row of a step log (a CSV record, a JSON line) by role, then hands the row to the trace as a
/// step row, an epoch record, or both — whichever figures it holds. With <paramref name="epochsAsSteps"/> (a log of one
/// row per epoch, as Keras writes) each epoch's mean training loss also stands in as one step, numbered by the epoch, so
/// that the loss's course can be judged.
/// </summary>
internal sealed class LogRow(TraceCollector collector, LogColumns columns, double epochBase, bool numberRows, bool epochsAsSteps = false)
{
    private readonly double?[] _layers = new double?[columns.Layers.Count];
    private readonly Dictionary<string, int> _layerIndex = columns.Layers.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private double? _step, _epoch, _loss, _before, _after, _lr, _epochLoss, _valLoss, _valAccuracy;
    private bool? _clipped;
    private bool _anyLayer;
    private int _rowsNumbered;
    private int _records;

    /// <summary>How many rows held a gradient norm before clipping.</summary>
    public int NormsSeen { get; private set; }

    /// <summary>How many rows held one after clipping.</summary>
    public int NormsAfterSeen { get; private set; }

    /// <summary>How many of those were clipped (the norm after below the norm before).</summary>
    public int ClippedSeen { get; private set; }

    /// <summary>The norms after clipping of the clipped rows: what max_norm was, when the log does not say.</summary>
    public List<double> ClippedNorms { get; } = [];

    /// <summary>Sets the figure of column <paramref name="name"/> in this row.</summary>
    public void Set(string name, ColumnRole role, double? value)
    {
        if (value is null)
        {
            return;
        }
        switch (role)
        {
            case ColumnRole.Step: _step = value; break;
            case ColumnRole.Epoch: _epoch = value; break;
            case ColumnRole.Loss: _loss = value; break;
            case ColumnRole.NormBefore: _before = value; break;
            case ColumnRole.NormAfter: _after = value; break;
            case ColumnRole.LearningRate: _lr = value; break;
            case ColumnRole.EpochLoss: _epochLoss = value; break;
            case ColumnRole.ValLoss: _valLoss = value; break;
            case ColumnRole.ValAccuracy: _valAccuracy = value; break;
            case ColumnRole.Metric: _metrics[name] = value.Value; break;
            case ColumnRole.LayerNorm: SetLayer(columns.LayerOf(name), value); break;
        }
    }

    /// <summary>Sets the norm of <paramref name="layer"/> (a name of <see cref="LogColumns.Layers"/>) in this row.</summary>
    public void SetLayer(string layer, double? value)
    {
        if (value is not null && _layerIndex.TryGetValue(layer, out int index))
        {
            _layers[index] = value;
            _anyLayer = true;
        }
    }

    /// <summary>Sets whether the row's step was clipped, when the log says so.</summary>
    public void SetClipped(bool clipped) => _clipped = clipped;

    /// <summary>Hands the row to the trace and clears it; <paramref name="where"/> makes an error about the row.</summary>
    public void End(Func<string, LogFormatException> where)
    {
        double? epoch = _epoch + epochBase;
        if (epochsAsSteps && _epochLoss is not null && epoch is { } e && double.IsFinite(e))
        {
            _step = e;
            _loss = _epochLoss;
        }
        bool stepRow = _loss is not null || _before is not null || _after is not null || _anyLayer;
        if (stepRow)
        {
            AddStep(epoch, where);
        }
        if (_epochLoss is not null || _valLoss is not null || _valAccuracy is not null)
        {
            int? step = _step is { } s && double.IsFinite(s) ? (int)s : null;
            _records++;
            collector.AddEpoch(new EpochRecord(epoch ?? _records, step, _epochLoss, _valLoss, _valAccuracy) { Metrics = new Dictionary<string, double>(_metrics) });
        }
        _step = _epoch = _loss = _before = _after = _lr = _epochLoss = _valLoss = _valAccuracy = null;
        _clipped = null;
        _metrics.Clear();
        _layers.AsSpan().Clear();
        _anyLayer = false;
    }

    private void AddStep(double? epoch, Func<string, LogFormatException> where)
    {
        int step;
        if (numberRows)
        {
            step = ++_rowsNumbered;
        }
        else if (_step is { } s && double.IsFinite(s) && s >= 0 && s <= int.MaxValue && s == Math.Floor(s))
        {
            step = (int)s;
        }
        else
        {
            throw where(_step is { } bad ? $"the step {bad.ToString(CultureInfo.InvariantCulture)} is not a whole number ≥ 0." : "the row has figures but no step.");
        }
        bool? clipped = _clipped;
        if (_before is { } before && _after is { } after)
        {
            NormsAfterSeen++;
            clipped ??= after < before * (1 - 1e-6);
            if (clipped == true)
            {
                ClippedSeen++;
                ClippedNorms.Add(after);
            }
        }
        NormsSeen += _before is null ? 0 : 1;
        collector.AddStep(new TraceStep(step, epoch, _loss, _before, _after, _lr, clipped), _anyLayer ? _layers : default, where);
    }
}
