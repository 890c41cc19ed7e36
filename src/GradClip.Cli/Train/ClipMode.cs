namespace GradClip.Cli.Train;

/// <summary>How <c>gradclip train</c> clips gradients.</summary>
public enum ClipMode
{
    /// <summary>No clipping; gradient norms are still recorded.</summary>
    None,

    /// <summary>Clip the global p-norm of all gradients (PyTorch's clip_grad_norm_).</summary>
    Norm,

    /// <summary>Clamp every gradient element (PyTorch's clip_grad_value_).</summary>
    Value,

    /// <summary>Clip to a percentile of every norm seen so far (AutoClip, Seetharaman et al. 2020).</summary>
    AutoClip,

    /// <summary>Clip norm spikes by their z-score against running statistics (ZClip, 2025).</summary>
    ZClip,

    /// <summary>Clip each unit's gradient relative to its weights' norm (AGC, Brock et al. 2021); the output layer is left out.</summary>
    Agc,
}
