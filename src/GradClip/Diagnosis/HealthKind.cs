namespace GradClip.Diagnosis;

/// <summary>The kinds of verdict a health check gives on a training run.</summary>
public enum HealthKind
{
    /// <summary>Norms sometimes above the threshold, at or below it after clipping, loss falling.</summary>
    Healthy,

    /// <summary>Gradient norms spiked by orders of magnitude, or went non-finite without clipping to contain them.</summary>
    Exploding,

    /// <summary>Clipping fired on nearly every step while the loss stalled: max_norm is too small.</summary>
    OverClipped,

    /// <summary>The loss went non-finite although clipping was on: clipping alone cannot fix this run.</summary>
    ClippingIneffective,

    /// <summary>Clipping never fired: it costs nothing but protects nothing.</summary>
    ClippingIdle,

    /// <summary>The loss jumped while the gradient norm did not: likely a data or label problem.</summary>
    LossSpikeWithoutGradientSpike,

    /// <summary>The loss did not fall, for reasons other than clipping.</summary>
    NotLearning,
}
