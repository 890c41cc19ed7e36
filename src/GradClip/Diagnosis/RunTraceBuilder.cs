namespace GradClip.Diagnosis;

/// <summary>
/// Builds a <see cref="RunTrace"/> one step row at a time, so that a reader can stream a long log: a million steps of
/// loss, norms, learning rate and clipping decisions hold about 55 MB.
/// </summary>
public sealed class RunTraceBuilder
{
    private readonly TraceColumnBuilder[] _columns =
        [new("epoch"), new("loss"), new("grad_norm"), new("grad_norm_after"), new("learning_rate"), new("clipped")];

    private readonly TraceColumnBuilder[] _layers;
    private readonly List<EpochRecord> _epochs = [];
    private int[] _steps = [];

    /// <summary>Starts an empty trace whose rows may carry a gradient norm for each of <paramref name="layers"/>.</summary>
    public RunTraceBuilder(IEnumerable<string>? layers = null)
    {
        Layers = [.. layers ?? []];
        if (Layers.Distinct(StringComparer.Ordinal).Count() != Layers.Count)
        {
            throw new ArgumentException($"The layer names repeat one another: {string.Join(", ", Layers)}.", nameof(layers));
        }
        _layers = [.. Layers.Select(name => new TraceColumnBuilder(name))];
    }

    /// <summary>The layers whose norms the rows may carry, in the order <see cref="AddStep"/> takes them.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>What the log says of the run's setup.</summary>
    public RunSetup Setup { get; set; } = new();

    /// <summary>How many step rows have been added.</summary>
    public int Count { get; private set; }

    /// <summary>The last step added, or 0 before the first.</summary>
    public int LastStep => Count == 0 ? 0 : _steps[Count - 1];

    /// <summary>
    /// Appends a step row, with the norm of each of <see cref="Layers"/> in order (null where not logged), or no layer
    /// norms at all.
    /// </summary>
    /// <exception cref="ArgumentException">The step does not follow the last one, or the layer norms do not match the layers.</exception>
    public void AddStep(TraceStep step, ReadOnlySpan<double?> layerNorms = default)
    {
        if (Count > 0 && step.Step <= LastStep)
        {
            throw new ArgumentException($"Step {step.Step} follows step {LastStep}: a trace's steps must increase.", nameof(step));
        }
        if (!layerNorms.IsEmpty && layerNorms.Length != _layers.Length)
        {
            throw new ArgumentException($"{layerNorms.Length} layer norms given for {_layers.Length} layers.", nameof(layerNorms));
        }
        if (Count == _steps.Length)
        {
            Array.Resize(ref _steps, Math.Max(256, (int)Math.Min(Array.MaxLength, 2L * _steps.Length)));
        }
        _steps[Count] = step.Step;
        _columns[0].Add(step.Epoch);
        _columns[1].Add(step.Loss);
        _columns[2].Add(step.NormBefore);
        _columns[3].Add(step.NormAfter);
        _columns[4].Add(step.LearningRate);
        _columns[5].Add(step.Clipped is { } clipped ? (clipped ? 1 : 0) : null);
        for (int i = 0; i < _layers.Length; i++)
        {
            _layers[i].Add(layerNorms.IsEmpty ? null : layerNorms[i]);
        }
        Count++;
    }

    /// <summary>Appends an epoch (or evaluation) record.</summary>
    public void AddEpoch(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        _epochs.Add(epoch);
    }

    /// <summary>The trace of the rows added so far; the builder may go on appending without changing it.</summary>
    public RunTrace Build() =>
        new(_steps, Count, [.. _columns.Select(c => c.Build())], [.. _layers.Select(c => c.Build())], [.. _epochs], Setup);
}
