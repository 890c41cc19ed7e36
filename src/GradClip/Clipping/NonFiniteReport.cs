using GradClip.Kernels;

namespace GradClip.Clipping;

/// <summary>Builds the error that names the first gradient holding NaN or ±∞.</summary>
internal static class NonFiniteReport
{
    /// <summary>An exception for a non-finite total norm, naming the norm order, the first offending parameter and the way out.</summary>
    public static NonFiniteGradientException Exception(GradientSet set, double normType, double totalNorm, string switchOff)
    {
        string order = double.IsPositiveInfinity(normType) ? "inf" : ClipArguments.Text(normType);
        string where = "every element is finite, but the norm overflowed";
        int? index = null;
        string? name = null;
        for (int i = 0; i < set.Buffers.Count; i++)
        {
            int element = Reductions.IndexOfNonFinite(set.Buffers[i].Span);
            if (element >= 0)
            {
                index = set.Positions[i];
                name = set.Owners[i].Name;
                string label = name is null ? $"parameter {index}" : $"parameter {index} '{name}'";
                float value = set.Buffers[i].Span[element];
                where = $"{label} holds {ValueText(value)} at element {element}";
                break;
            }
        }
        string message =
            $"The total norm of order {order} of the gradients is {ClipArguments.Text(totalNorm)}, so they cannot be clipped: " +
            $"{where}. The gradients were left untouched. {switchOff}";
        return new NonFiniteGradientException(message, normType, index, name);
    }

    private static string ValueText(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+∞" : "-∞";
}
