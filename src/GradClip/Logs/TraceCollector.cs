using System.Globalization;
using GradClip.Diagnosis;

namespace GradClip.Logs;

/// <summary>
/// Feeds a log's rows into a <see cref="RunTraceBuilder"/>: rows of one step that a log writes apart (Lightning writes a
/// validation row at the step of the last training row) are merged into one, and so are the records of one epoch; a step
/// below the one before is refused, naming where.
/// </summary>
internal sealed class TraceCollector(IReadOnlyList<string> layers)
{
    private readonly RunTraceBuilder _builder = new(layers);
    private readonly List<EpochRecord> _epochs = [];
    private readonly Dictionary<(double Epoch, int? Step), int> _epochIndex = [];
    private readonly double?[] _pendingLayers = new double?[layers.Count];
    private TraceStep? _pending;
    private bool _pendingHasLayers;

    /// <summary>How many step rows were taken in (before merging).</summary>
    public int RowsSeen { get; private set; }

    /// <summary>
    /// Adds a step row; <paramref name="where"/> makes the error for a step below the previous one (the file and line or
    /// offset of the row).
    /// </summary>
    public void AddStep(TraceStep row, ReadOnlySpan<double?> layerNorms, Func<string, LogFormatException> where)
    {
        RowsSeen++;
        if (_pending is { } pending && row.Step == pending.Step)
        {
            _pending = Merge(pending, row);
            MergeLayers(layerNorms);
            return;
        }
        if (_pending is { } earlier && row.Step < earlier.Step)
        {
            throw where($"step {Text(row.Step)} comes after step {Text(earlier.Step)}; the steps of a log must increase (are two runs' logs in one file?).");
        }
        Flush();
        _pending = row;
        _pendingLayers.AsSpan().Clear();
        _pendingHasLayers = false;
        MergeLayers(layerNorms);
    }

    /// <summary>Adds an epoch (or evaluation) record, merged into the one of the same epoch and step when there is one.</summary>
    public void AddEpoch(EpochRecord record)
    {
        if (!_epochIndex.TryGetValue((record.Epoch, record.Step), out int same))
        {
            _epochIndex[(record.Epoch, record.Step)] = _epochs.Count;
            _epochs.Add(record);
            return;
        }
        var e = _epochs[same];
        var metrics = new Dictionary<string, double>(e.Metrics);
        foreach (var (name, value) in record.Metrics)
        {
            metrics.TryAdd(name, value);
        }
        _epochs[same] = new EpochRecord(e.Epoch, e.Step, e.TrainLoss ?? record.TrainLoss, e.ValLoss ?? record.ValLoss, e.ValAccuracy ?? record.ValAccuracy)
        {
            Metrics = metrics,
        };
    }

    /// <summary>The trace of everything added, with <paramref name="setup"/>.</summary>
    public RunTrace Build(RunSetup setup)
    {
        Flush();
        foreach (var epoch in _epochs)
        {
            _builder.AddEpoch(epoch);
        }
        _builder.Setup = setup;
        return _builder.Build();
    }

    private void Flush()
    {
        if (_pending is { } row)
        {
            _builder.AddStep(row, _pendingHasLayers ? _pendingLayers : default);
            _pending = null;
        }
    }

    private void MergeLayers(ReadOnlySpan<double?> layerNorms)
    {
        for (int i = 0; i < layerNorms.Length; i++)
        {
            if (layerNorms[i] is { } norm && _pendingLayers[i] is null)
            {
                _pendingLayers[i] = norm;
                _pendingHasLayers = true;
            }
        }
    }

    private static TraceStep Merge(TraceStep a, TraceStep b) => new(
        a.Step,
        a.Epoch ?? b.Epoch,
        a.Loss ?? b.Loss,
        a.NormBefore ?? b.NormBefore,
        a.NormAfter ?? b.NormAfter,
        a.LearningRate ?? b.LearningRate,
        a.Clipped ?? b.Clipped);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
