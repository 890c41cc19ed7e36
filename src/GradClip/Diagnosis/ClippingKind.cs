namespace GradClip.Diagnosis;

/// <summary>How a run clipped its gradients, as far as its log tells.</summary>
public enum ClippingKind
{
    /// <summary>The log does not say whether or how the run clipped.</summary>
    Unknown,

    /// <summary>No clipping.</summary>
    None,

    /// <summary>Clipping by total norm to a fixed max_norm (PyTorch's <c>clip_grad_norm_</c>).</summary>
    Norm,

    /// <summary>Clamping every gradient element to [-clip_value, clip_value] (PyTorch's <c>clip_grad_value_</c>).</summary>
    Value,

    /// <summary>An adaptive threshold that follows the run's own norms (AutoClip, ZClip, AGC).</summary>
    Adaptive,
}
