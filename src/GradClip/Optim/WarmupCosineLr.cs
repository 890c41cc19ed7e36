namespace GradClip.Optim;

/// <summary>
/// A <see cref="LinearWarmup"/> over the first warmupSteps steps, then a <see cref="CosineAnnealingLr"/> from the
/// base rate to η_min over the remaining totalSteps − warmupSteps; both give the base rate at the junction, so the
/// schedule is continuous. It equals PyTorch's <c>SequentialLR</c> of <c>LinearLR</c> and <c>CosineAnnealingLR</c>
/// with the milestone at warmupSteps.
/// </summary>
public sealed class WarmupCosineLr : LearningRateScheduler
{
    /// <summary>Creates the schedule and applies its value at step 0 (startFactor · base).</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The start factor is outside (0, 1], the warm-up is shorter than 1 step, the total does not exceed the warm-up,
    /// or η_min is negative or NaN.
    /// </exception>
    public WarmupCosineLr(Optimizer optimizer, double startFactor, int warmupSteps, int totalSteps, double minLearningRate = 0)
        : base(optimizer)
    {
        LinearWarmup.RequireStartFactor(startFactor, nameof(startFactor));
        OptimArguments.RequirePositive(warmupSteps, nameof(warmupSteps));
        if (totalSteps <= warmupSteps)
        {
            throw new ArgumentOutOfRangeException(
                nameof(totalSteps), totalSteps, $"Must exceed the {warmupSteps} warm-up steps.");
        }
        OptimArguments.RequireNonNegative(minLearningRate, nameof(minLearningRate));
        StartFactor = startFactor;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
        ApplyLearningRate();
    }

    /// <summary>The fraction of the base rate used at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>The number of steps until the base rate is reached.</summary>
    public int WarmupSteps { get; }

    /// <summary>The step at which the cosine reaches η_min.</summary>
    public int TotalSteps { get; }

    /// <summary>The learning rate η_min reached at <see cref="TotalSteps"/>.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(int stepCount) => stepCount < WarmupSteps
        ? BaseLearningRate * LinearWarmup.Factor(StartFactor, WarmupSteps, stepCount)
        : CosineAnnealingLr.Anneal(BaseLearningRate, MinLearningRate, TotalSteps - WarmupSteps, stepCount - WarmupSteps);
}
