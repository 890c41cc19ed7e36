namespace GradClip.Optim;

/// <summary>
/// Multiplies the learning rate by γ every <see cref="StepSize"/> steps, as PyTorch's <c>StepLR</c>:
/// lr = base · γ^⌊step / stepSize⌋.
/// </summary>
public sealed class StepLr : LearningRateScheduler
{
    /// <summary>Creates the schedule and applies its value at step 0 (the base rate); γ defaults to PyTorch's 0.1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step size is below 1, or γ is negative or NaN.</exception>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1)
        : base(optimizer)
    {
        OptimArguments.RequirePositive(stepSize, nameof(stepSize));
        OptimArguments.RequireNonNegative(gamma, nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        ApplyLearningRate();
    }

    /// <summary>How many steps pass between two decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor γ applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double LearningRateAt(int stepCount) => BaseLearningRate * Math.Pow(Gamma, stepCount / StepSize);
}
