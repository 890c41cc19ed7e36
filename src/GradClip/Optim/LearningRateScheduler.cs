namespace GradClip.Optim;

/// <summary>
/// Sets an optimizer's learning rate from a closed-form function of how many times <see cref="Step"/> has been
/// called, as PyTorch's <c>torch.optim.lr_scheduler</c> classes do; the caller decides whether a step is an epoch
/// or a batch.
/// </summary>
/// <remarks>
/// The optimizer's learning rate when the schedule is created is its <see cref="BaseLearningRate"/>; creating the
/// schedule already applies its value at step 0, so the first optimizer step uses it.
/// </remarks>
public abstract class LearningRateScheduler
{
    /// <summary>Records the optimizer and its current learning rate as the base of the schedule.</summary>
    protected LearningRateScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The optimizer's learning rate when the schedule was created, which the schedule scales.</summary>
    public double BaseLearningRate { get; }

    /// <summary>How many times <see cref="Step"/> has been called (PyTorch's <c>last_epoch</c>).</summary>
    public int StepCount { get; private set; }

    /// <summary>The learning rate this schedule last gave the optimizer.</summary>
    public double LastLearningRate { get; private set; }

    /// <summary>Advances the schedule by one and sets the optimizer's learning rate to the new value.</summary>
    public void Step()
    {
        StepCount++;
        ApplyLearningRate();
    }

    /// <summary>Continues the schedule after <paramref name="stepCount"/> steps (≥ 0), as PyTorch's <c>load_state_dict</c> with that <c>last_epoch</c>, and sets the optimizer's rate.</summary>
    public void LoadStepCount(int stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
        ApplyLearningRate();
    }

    /// <summary>The learning rate after <paramref name="stepCount"/> calls of <see cref="Step"/> (≥ 0).</summary>
    protected abstract double LearningRateAt(int stepCount);

    /// <summary>Gives the optimizer the value at <see cref="StepCount"/>; derived constructors call it last, once their settings are set.</summary>
    protected void ApplyLearningRate()
    {
        LastLearningRate = LearningRateAt(StepCount);
        Optimizer.LearningRate = LastLearningRate;
    }
}
