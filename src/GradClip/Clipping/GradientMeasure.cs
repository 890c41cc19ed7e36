namespace GradClip.Clipping;

/// <summary>The per-parameter facts that every report carries, read off one norm pass over a gradient set.</summary>
internal static class GradientMeasure
{
    /// <summary>Each gradient's norm by label.</summary>
    public static IReadOnlyDictionary<string, double> ParameterNorms(GradientSet set, double normType)
    {
        double[] norms = new double[set.Buffers.Count];
        for (int i = 0; i < norms.Length; i++)
        {
            norms[i] = set.NormOf(i, normType);
        }
        return ByLabel(set, norms);
    }

    /// <summary><paramref name="norms"/>, one per gradient of <paramref name="set"/> in order, by label.</summary>
    public static IReadOnlyDictionary<string, double> ByLabel(GradientSet set, double[] norms)
    {
        if (set.Labels() is { } labels)
        {
            return new ParameterNormTable(labels, norms);
        }
        // Two gradients share a label: as a dictionary, the later one's norm stands for it.
        var byLabel = new Dictionary<string, double>(norms.Length);
        for (int i = 0; i < norms.Length; i++)
        {
            byLabel[set.LabelOf(i)] = norms[i];
        }
        return byLabel;
    }

    /// <summary>
    /// The labels of the gradients holding NaN or ±∞. A buffer's power sum is non-finite exactly when it holds one, since
    /// the sums are accumulated in double, where no sum of float32 squares can overflow.
    /// </summary>
    /// <remarks>Nothing is allocated in the usual case of none.</remarks>
    public static IReadOnlyList<string> NonFiniteLabels(GradientSet set)
    {
        List<string>? labels = null;
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            if (!double.IsFinite(set.Partials[i]))
            {
                (labels ??= []).Add(set.LabelOf(i));
            }
        }
        return labels ?? [];
    }
}
