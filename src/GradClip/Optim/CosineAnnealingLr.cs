namespace GradClip.Optim;

/// <summary>
/// Anneals the learning rate from the base rate to η_min along half a cosine over <see cref="MaxSteps"/> steps,
/// with the closed form of PyTorch's <c>CosineAnnealingLR</c>: lr = η_min + (base − η_min)·(1 + cos(π·step/T_max))/2.
/// </summary>
/// <remarks>Past T_max the closed form rises again toward the base rate, as PyTorch's does; schedule T_max steps.</remarks>
public sealed class CosineAnnealingLr : LearningRateScheduler
{
    /// <summary>Creates the schedule and applies its value at step 0 (the base rate).</summary>
    /// <exception cref="ArgumentOutOfRangeException">T_max is below 1, or η_min is negative or NaN.</exception>
    public CosineAnnealingLr(Optimizer optimizer, int maxSteps, double minLearningRate = 0)
        : base(optimizer)
    {
        OptimArguments.RequirePositive(maxSteps, nameof(maxSteps));
        OptimArguments.RequireNonNegative(minLearningRate, nameof(minLearningRate));
        MaxSteps = maxSteps;
        MinLearningRate = minLearningRate;
        ApplyLearningRate();
    }

    /// <summary>The number of steps T_max from the base rate down to η_min.</summary>
    public int MaxSteps { get; }

    /// <summary>The learning rate η_min reached after T_max steps.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(int stepCount) =>
        Anneal(BaseLearningRate, MinLearningRate, MaxSteps, stepCount);

    /// <summary>The cosine closed form from <paramref name="start"/> to <paramref name="end"/> over <paramref name="maxSteps"/> steps.</summary>
    internal static double Anneal(double start, double end, int maxSteps, int stepCount) =>
        end + (start - end) * (1 + Math.Cos(Math.PI * stepCount / maxSteps)) / 2;
}
