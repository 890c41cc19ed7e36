namespace GradClip.Clipping;

/// <summary>What to do when gradients hold NaN or ±∞.</summary>
public enum NonFinitePolicy
{
    /// <summary>Leave them to clipping, as PyTorch does: a NaN norm spreads NaN to every gradient.</summary>
    Propagate,

    /// <summary>Throw <see cref="NonFiniteGradientException"/> naming the first offending parameter; gradients untouched.</summary>
    Throw,

    /// <summary>Leave the gradients untouched and report the step as one to skip.</summary>
    SkipStep,

    /// <summary>Replace each NaN or ±∞ element with zero and go on.</summary>
    ZeroNonFinite,
}
