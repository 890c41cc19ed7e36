using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>Measures the gradients' L2 norms and changes nothing: monitoring for a run trained without clipping.</summary>
public sealed class NoClip : IGradientTransform
{
    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double norm = set.MeasurePowerSums(2);
        return new ClipReport(norm, norm, 1, Clipped: false,
            GradientMeasure.ParameterNorms(set, 2), GradientMeasure.NonFiniteLabels(set), SkipStep: false);
    }
}
