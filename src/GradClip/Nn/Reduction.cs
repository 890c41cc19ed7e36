namespace GradClip.Nn;

/// <summary>How a loss combines its per-element values, as PyTorch's <c>reduction</c> argument.</summary>
public enum Reduction
{
    /// <summary>The per-element losses, unreduced.</summary>
    None,

    /// <summary>Their mean.</summary>
    Mean,

    /// <summary>Their sum.</summary>
    Sum,
}
