using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>Clamps every gradient element to [-ClipValue, ClipValue]: <see cref="Clip.GradValue"/> as a transform, reporting L2 norms.</summary>
public sealed class ClipByValue : IGradientTransform
{
    /// <summary>Creates the transform; <paramref name="clipValue"/> must be finite and &gt; 0.</summary>
    public ClipByValue(double clipValue)
    {
        ClipArguments.RequirePositiveFinite(clipValue, nameof(clipValue));
        ClipValue = clipValue;
    }

    /// <summary>The largest magnitude any gradient element may keep.</summary>
    public double ClipValue { get; }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double before = set.MeasurePowerSums(2);
        var norms = GradientMeasure.ParameterNorms(set, 2);
        var nonFinite = GradientMeasure.NonFiniteLabels(set);
        float bound = (float)ClipValue;
        double after = Math.Sqrt(MultiTensor.ClampAndSumSquares(set.Buffers, -bound, bound));
        bool clipped = after != before || double.IsNaN(before);
        double coefficient = before == 0 ? 1 : after / before;
        return new ClipReport(before, after, coefficient, clipped, norms, nonFinite, SkipStep: false);
    }
}
