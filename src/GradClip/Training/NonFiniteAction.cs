namespace GradClip.Training;

/// <summary>What the training loop does when a step's loss or gradients hold NaN or ±∞.</summary>
public enum NonFiniteAction
{
    /// <summary>Skip the optimizer step and go on; stop only when every step of an epoch was skipped.</summary>
    Skip,

    /// <summary>Stop training at the first non-finite step, keeping the best model so far.</summary>
    Stop,

    /// <summary>Take the step anyway, as plain PyTorch would: NaN spreads into the weights.</summary>
    Propagate,
}
