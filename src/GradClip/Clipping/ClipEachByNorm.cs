using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>
/// Clips each gradient by its own norm, as TensorFlow's <c>clip_by_norm</c> on every tensor (Keras' <c>clipnorm</c>):
/// g ← g · MaxNorm / max(‖g‖, MaxNorm).
/// </summary>
public sealed class ClipEachByNorm : IGradientTransform
{
    /// <summary>Creates the transform; <paramref name="maxNorm"/> must be finite and &gt; 0, <paramref name="normType"/> &gt; 0 or +∞.</summary>
    public ClipEachByNorm(double maxNorm, double normType = 2)
    {
        ClipArguments.RequirePositiveFinite(maxNorm, nameof(maxNorm));
        ClipArguments.RequireNormType(normType, nameof(normType));
        MaxNorm = maxNorm;
        NormType = normType;
    }

    /// <summary>The largest norm any one gradient may keep.</summary>
    public double MaxNorm { get; }

    /// <summary>The order p of the norm (+∞ for the max norm).</summary>
    public double NormType { get; }

    /// <inheritdoc/>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        using var set = GradientSet.OfParameters(parameters);
        double before = set.MeasurePowerSums(NormType);
        var norms = GradientMeasure.ParameterNorms(set, NormType);
        var nonFinite = GradientMeasure.NonFiniteLabels(set);
        var after = new List<double>(set.Buffers.Count);
        bool clipped = false;
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            double norm = set.NormOf(i, NormType);
            double scale = MaxNorm / Math.Max(norm, MaxNorm);
            if (scale != 1)
            {
                Kernels.Updates.Scale(set.Buffers[i].Span, scale);
                clipped = true;
            }
            after.Add(norm * scale);
        }
        double total = TotalOf(after);
        return new ClipReport(before, total, before == 0 ? 1 : total / before, clipped, norms, nonFinite, SkipStep: false);
    }

    private double TotalOf(List<double> norms)
    {
        bool isMax = double.IsPositiveInfinity(NormType);
        double largest = norms.Count == 0 ? 0 : norms.Max();
        // The norms are combined relative to the largest, so that a large p neither overflows nor underflows their powers.
        double unit = largest > 0 && double.IsFinite(largest) && !isMax ? largest : 1;
        double combined = 0;
        foreach (double n in norms)
        {
            combined = isMax ? (double.IsNaN(n) ? n : Math.Max(combined, n)) : combined + Math.Pow(n / unit, NormType);
        }
        return unit * GradientSet.NormOf(combined, NormType);
    }
}
