using GradClip.Clipping;
using GradClip.Metrics;
using GradClip.Tensors;

namespace GradClip.Monitoring;

/// <summary>
/// Clips and records in one call per step: wraps a gradient transform, keeps a <see cref="StepRecord"/> per step and an
/// <see cref="EpochSummary"/> per epoch, so a training loop gets monitoring with one line.
/// </summary>
/// <example><code>
/// var monitor = new GradientMonitor(new ClipByGlobalNorm(1.0));
/// // in the loop, after loss.Backward():
/// if (!monitor.Step(model.Parameters().ToList(), loss.Item(), optimizer.LearningRate).Skipped) optimizer.Step();
/// // after each epoch:
/// monitor.EndEpoch(valLoss, [new MetricValue("val_accuracy", valAccuracy)]);
/// </code></example>
public sealed class GradientMonitor
{
    private readonly List<StepRecord> _steps = [];
    private readonly List<EpochSummary> _epochs = [];
    private int _epochStart;

    /// <summary>Monitors clipping done by <paramref name="clipping"/>.</summary>
    public GradientMonitor(IGradientTransform clipping)
        : this(clipping, [], [])
    {
    }

    /// <summary>Continues a run recorded earlier (resumed from a checkpoint): new steps and epochs are numbered after these.</summary>
    public GradientMonitor(IGradientTransform clipping, IEnumerable<StepRecord> steps, IEnumerable<EpochSummary> epochs)
    {
        ArgumentNullException.ThrowIfNull(clipping);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(epochs);
        Clipping = clipping;
        _steps.AddRange(steps);
        _epochs.AddRange(epochs);
        _epochStart = _steps.Count(s => s.Epoch <= _epochs.Count);
    }

    /// <summary>The transform applied at every step.</summary>
    public IGradientTransform Clipping { get; }

    /// <summary>Every step recorded so far.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Every epoch summarized so far.</summary>
    public IReadOnlyList<EpochSummary> Epochs => _epochs;

    /// <summary>The epoch being recorded, counting from 1.</summary>
    public int CurrentEpoch => _epochs.Count + 1;

    /// <summary>How many steps the current epoch has recorded so far.</summary>
    public int StepsInCurrentEpoch => _steps.Count - _epochStart;

    /// <summary>Applies the clipping transform to the parameters' gradients and records the step with its loss and learning rate.</summary>
    /// <exception cref="InvalidOperationException">No parameter has a gradient: clipping now would do nothing.</exception>
    public StepRecord Step(IReadOnlyList<Tensor> parameters, double loss, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!AnyGradient(parameters))
        {
            throw new InvalidOperationException(
                $"None of the {parameters.Count} parameters has a gradient, so there is nothing to clip: did you call loss.Backward() " +
                "before clipping? (ZeroGrad() clears the gradients; clip between Backward() and Step().)");
        }
        var report = Clipping.Apply(parameters);
        var record = new StepRecord(
            CurrentEpoch, _steps.Count + 1, loss, report.NormBefore, report.NormAfter, report.Coefficient,
            report.Clipped, report.SkipStep, learningRate, report.ParameterNorms, report.NonFiniteParameters);
        _steps.Add(record);
        return record;
    }

    private static bool AnyGradient(IReadOnlyList<Tensor> parameters)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Records a step skipped before its gradients were computed (its loss was already NaN or ∞): norms unknown (NaN),
    /// nothing clipped.
    /// </summary>
    public StepRecord SkipStep(double loss, double learningRate)
    {
        var record = new StepRecord(CurrentEpoch, _steps.Count + 1, loss, double.NaN, double.NaN, 1, Clipped: false, Skipped: true,
            learningRate, new Dictionary<string, double>(), []);
        _steps.Add(record);
        return record;
    }

    /// <summary>Closes the current epoch with its validation loss and the task's metrics (none when null) and returns its summary.</summary>
    public EpochSummary EndEpoch(double? valLoss = null, IReadOnlyList<MetricValue>? metrics = null)
    {
        var steps = _steps.GetRange(_epochStart, _steps.Count - _epochStart);
        var summary = EpochSummary.Of(CurrentEpoch, steps, valLoss, metrics ?? []);
        _epochs.Add(summary);
        _epochStart = _steps.Count;
        return summary;
    }
}
