namespace GradClip.Clipping;

/// <summary>The per-parameter facts that every report carries, read off one norm pass over a gradient set.</summary>
internal static class GradientMeasure
{
    /// <summary>Each gradient's norm by label.</summary>
    public static Dictionary<string, double> ParameterNorms(GradientSet set, double normType)
    {
        var norms = new Dictionary<string, double>(set.Buffers.Count);
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            norms[set.LabelOf(i)] = set.NormOf(i, normType);
        }
        return norms;
    }

    /// <summary>
    /// The labels of the gradients holding NaN or ±∞. A buffer's power sum is non-finite exactly when it holds one, since
    /// the sums are accumulated in double, where no sum of float32 squares can overflow.
    /// </summary>
    public static List<string> NonFiniteLabels(GradientSet set)
    {
        var labels = new List<string>();
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            if (!double.IsFinite(set.Partials[i]))
            {
                labels.Add(set.LabelOf(i));
            }
        }
        return labels;
    }
}
