using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>Clips all gradients together so that their total p-norm is at most MaxNorm: <see cref="Clip.GradNorm"/> as a transform.</summary>
public sealed class ClipByGlobalNorm : IGradientTransform
{
    /// <summary>Creates the transform; <paramref name="maxNorm"/> must be finite and &gt; 0, <paramref name="normType"/> &gt; 0 or +∞.</summary>
    public ClipByGlobalNorm(double maxNorm, double normType = 2)
    {
        ClipArguments.RequirePositiveFinite(maxNorm, nameof(maxNorm));
        ClipArguments.RequireNormType(normType, nameof(normType));
        MaxNorm = maxNorm;
        NormType = normType;
    }

    /// <summary>The largest total norm allowed.</summary>
    public double MaxNorm { get; }

    /// <summary>The order p of the norm (+∞ for the max norm).</summary>
    public double NormType { get; }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double before = set.MeasurePowerSums(NormType);
        return set.ScaleAndReport(before, Clip.Coefficient(MaxNorm, before), NormType);
    }
}
