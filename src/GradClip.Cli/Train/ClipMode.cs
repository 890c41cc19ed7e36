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
}
