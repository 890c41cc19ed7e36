namespace GradClip.Diagnosis;

/// <summary>The kinds of verdict a health check gives on a training run.</summary>
public enum HealthKind
{
    /// <summary>Norms sometimes above the threshold, at or below it after clipping, loss falling.</summary>
    Healthy,

    /// <summary>Gradient norms spiked by orders of magnitude, or went non-finite, without clipping to contain them.</summary>
    Exploding,

    /// <summary>Clipping fired on nearly every step while the loss crawled: the threshold is too small.</summary>
    OverClipped,

    /// <summary>The loss diverged or never fell although clipping was on: the learning rate is too high for clipping to help.</summary>
    ClippingIneffective,

    /// <summary>Clipping never fired: it costs nothing but protects nothing.</summary>
    ClippingIdle,

    /// <summary>The loss jumped for one batch while the gradient norm did not: evidence pointing at that batch's data.</summary>
    LossSpikeWithoutGradientSpike,

    /// <summary>The loss did not fall, for reasons other than clipping.</summary>
    NotLearning,

    /// <summary>The first layers' gradients are orders of magnitude below the last's and the loss is flat: clipping cannot help.</summary>
    VanishingGradients,

    /// <summary>The validation loss rose while the training loss fell.</summary>
    Overfitting,

    /// <summary>The gradient norm spiked by two orders of magnitude and clipping capped it; says whether the loss recovered.</summary>
    GradientSpike,

    /// <summary>Clipping fired on nearly every step after warm-up and set the step size, while the loss still fell well.</summary>
    FrequentClipping,

    /// <summary>The validation loss jumped by orders of magnitude between epochs.</summary>
    ValidationLossJump,

    /// <summary>The log holds too few of the run's steps to tell a healthy run from a failed one: not called healthy.</summary>
    TooFewStepsLogged,

    /// <summary>An agent's run has too few epochs for its return to show a trend: not called healthy, nor failed.</summary>
    TooFewEpochs,
}
