namespace GradClip.Optim;

/// <summary>
/// Raises the learning rate linearly from startFactor · base to the base rate over <see cref="WarmupSteps"/> steps,
/// then holds it, as PyTorch's <c>LinearLR</c> with end factor 1:
/// lr = base · (startFactor + (1 − startFactor)·min(step, warmupSteps)/warmupSteps).
/// </summary>
public sealed class LinearWarmup : LearningRateScheduler
{
    /// <summary>Creates the schedule and applies its value at step 0 (startFactor · base).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The start factor is outside (0, 1], or the warm-up is shorter than 1 step.</exception>
    public LinearWarmup(Optimizer optimizer, double startFactor, int warmupSteps)
        : base(optimizer)
    {
        RequireStartFactor(startFactor, nameof(startFactor));
        OptimArguments.RequirePositive(warmupSteps, nameof(warmupSteps));
        StartFactor = startFactor;
        WarmupSteps = warmupSteps;
        ApplyLearningRate();
    }

    /// <summary>The fraction of the base rate used at step 0.</summary>
    public double StartFactor { get; }

    /// <summary>The number of steps until the base rate is reached.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(int stepCount) => BaseLearningRate * Factor(StartFactor, WarmupSteps, stepCount);

    /// <summary>The fraction of the base rate after <paramref name="stepCount"/> steps of a warm-up.</summary>
    internal static double Factor(double startFactor, int warmupSteps, int stepCount) =>
        startFactor + (1 - startFactor) * Math.Min(stepCount, warmupSteps) / warmupSteps;

    /// <summary>Throws unless the start factor lies in (0, 1], as PyTorch's <c>LinearLR</c> requires.</summary>
    internal static void RequireStartFactor(double startFactor, string name)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(name, startFactor, "Must be greater than zero and at most one.");
        }
    }
}
