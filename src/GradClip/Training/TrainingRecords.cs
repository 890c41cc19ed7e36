using GradClip.Clipping;
using GradClip.Monitoring;

namespace GradClip.Training;

/// <summary>
/// The trainer's step records and epoch summaries, continuing those of a checkpoint: each step applies the clipping and
/// is recorded as <see cref="GradientMonitor"/> records it, numbered after the earlier steps, and an epoch resumed midway
/// is summarized over all of its steps, those before the checkpoint included.
/// </summary>
internal sealed class TrainingRecords
{
    private readonly IGradientTransform _clipping;
    private readonly List<StepRecord> _steps;
    private readonly List<EpochSummary> _epochs;

    /// <summary>Starts empty, or with the records of <paramref name="resumeFrom"/>; each step applies <paramref name="clipping"/>.</summary>
    public TrainingRecords(IGradientTransform clipping, TrainingCheckpoint? resumeFrom)
    {
        _clipping = clipping;
        _steps = [.. resumeFrom?.Steps ?? []];
        _epochs = [.. resumeFrom?.Epochs ?? []];
        EpochStep = resumeFrom?.EpochStep ?? 0;
    }

    /// <summary>Every step recorded, the earlier ones included.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Every epoch summarized, the earlier ones included.</summary>
    public IReadOnlyList<EpochSummary> Epochs => _epochs;

    /// <summary>How many steps of the epoch under way have been recorded.</summary>
    public int EpochStep { get; private set; }

    /// <summary>Applies the clipping to the parameters' gradients and records the step with its loss and learning rate.</summary>
    public StepRecord Step(IReadOnlyList<Tensor> parameters, double loss, double learningRate)
    {
        var report = _clipping.Apply(parameters);
        return Add(new StepRecord(
            _epochs.Count + 1, _steps.Count + 1, loss, report.NormBefore, report.NormAfter, report.Coefficient,
            report.Clipped, report.SkipStep, learningRate, report.ParameterNorms, report.NonFiniteParameters));
    }

    /// <summary>Records a step skipped before its gradients were computed (its loss was not finite): norms NaN, nothing clipped.</summary>
    public StepRecord SkipStep(double loss, double learningRate) =>
        Add(new StepRecord(_epochs.Count + 1, _steps.Count + 1, loss, double.NaN, double.NaN, 1, Clipped: false, Skipped: true,
            learningRate, new Dictionary<string, double>(), []));

    /// <summary>Closes the epoch under way with its validation figures and returns its summary.</summary>
    public EpochSummary EndEpoch(double? valLoss, double? valAccuracy)
    {
        var summary = EpochSummary.Of(_epochs.Count + 1, _steps.GetRange(_steps.Count - EpochStep, EpochStep), valLoss, valAccuracy);
        _epochs.Add(summary);
        EpochStep = 0;
        return summary;
    }

    private StepRecord Add(StepRecord record)
    {
        _steps.Add(record);
        EpochStep++;
        return record;
    }
}
