using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>
/// A training run as a diagnosis sees it, column-wise: one array per field over the logged steps (step, epoch, loss,
/// gradient norm before and after clipping, learning rate, per-layer norms), the epoch records, and what the log says of
/// the run's setup. Built by <see cref="RunTraceBuilder"/>, from GradClip's own records or from any log.
/// </summary>
public sealed class RunTrace
{
    private readonly int[] _steps;

    internal RunTrace(
        int[] steps,
        int count,
        TraceColumn[] columns,
        IReadOnlyList<TraceColumn> layerNorms,
        IReadOnlyList<EpochRecord> epochs,
        RunSetup setup)
    {
        _steps = steps;
        Count = count;
        (Epoch, Loss, NormBefore, NormAfter, LearningRate, Clipped) = (columns[0], columns[1], columns[2], columns[3], columns[4], columns[5]);
        LayerNorms = layerNorms;
        Epochs = epochs;
        Setup = setup;
    }

    /// <summary>How many step rows the trace holds (fewer than the run's steps when the log sampled them).</summary>
    public int Count { get; }

    /// <summary>Each row's optimizer step, strictly increasing.</summary>
    public ReadOnlySpan<int> Steps => _steps.AsSpan(0, Count);

    /// <summary>Each row's epoch (fractional where the log says how far into the epoch it was).</summary>
    public TraceColumn Epoch { get; }

    /// <summary>Each row's training loss.</summary>
    public TraceColumn Loss { get; }

    /// <summary>Each row's total gradient norm before clipping.</summary>
    public TraceColumn NormBefore { get; }

    /// <summary>Each row's total gradient norm after clipping.</summary>
    public TraceColumn NormAfter { get; }

    /// <summary>Each row's learning rate.</summary>
    public TraceColumn LearningRate { get; }

    /// <summary>Each row's clipping decision: 1 where clipping changed the gradients, 0 where it did not.</summary>
    public TraceColumn Clipped { get; }

    /// <summary>Per-layer gradient norms before clipping, one column per layer (parameter) named after it; empty when not logged.</summary>
    public IReadOnlyList<TraceColumn> LayerNorms { get; }

    /// <summary>The epoch (and evaluation) records, in the order logged.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>What the log says of the run's setup.</summary>
    public RunSetup Setup { get; }

    /// <summary>How many steps the run took in all: the setup's figure when known, else the last logged step.</summary>
    public int TotalSteps => Setup.TotalSteps ?? (Count == 0 ? 0 : _steps[Count - 1]);

    /// <summary>The trace of a run GradClip recorded: its step records (per-parameter norms included) and epoch summaries.</summary>
    public static RunTrace FromRecords(IReadOnlyList<StepRecord> steps, IReadOnlyList<EpochSummary> epochs, RunSetup setup)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(setup);
        var layers = steps.FirstOrDefault(s => s.ParameterNorms.Count > 0)?.ParameterNorms.Keys.ToList() ?? [];
        var builder = new RunTraceBuilder(layers) { Setup = setup };
        var norms = new double?[layers.Count];
        foreach (var s in steps)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                norms[i] = s.ParameterNorms.TryGetValue(layers[i], out double norm) ? norm : null;
            }
            var row = new TraceStep(s.Step, s.Epoch, s.Loss, s.NormBefore, s.NormAfter, s.LearningRate, s.Clipped);
            builder.AddStep(row, s.ParameterNorms.Count > 0 ? norms : default);
        }
        var lastStepOfEpoch = steps.GroupBy(s => s.Epoch).ToDictionary(g => g.Key, g => g.Max(s => s.Step));
        foreach (var e in epochs)
        {
            int? last = lastStepOfEpoch.TryGetValue(e.Epoch, out int step) ? step : null;
            builder.AddEpoch(new EpochRecord(e.Epoch, last, e.TrainLoss, e.ValLoss, e.ValAccuracy) 
            {
                // Accuracy has a field of its own; the other metrics (a return, a perplexity) are kept by name, as a log's are.
                Metrics = e.Metrics.Where(m => m.Name != EpochMetric.ValidationAccuracy.Name).ToDictionary(m => m.Name, m => m.Value),
            });
        }
        return builder.Build();
    }

    /// <summary>The row of <paramref name="step"/>, or -1 when the trace holds no row for it.</summary>
    public int RowOf(int step)
    {
        int row = Steps.BinarySearch(step);
        return row < 0 ? -1 : row;
    }
}
