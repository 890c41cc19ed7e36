namespace GradClip.Kernels;

/// <summary>Reductions and updates over a list of buffers (one per tensor) as if they were one long buffer.</summary>
public static class MultiTensor
{
    /// <summary>
    /// Writes each buffer's <see cref="Reductions.PowerSum"/> into <paramref name="partials"/> and returns their
    /// combination: the sum, or the maximum when p is +∞ (NaN when any partial is NaN).
    /// </summary>
    public static double PowerSums(IReadOnlyList<Memory<float>> buffers, double p, Span<double> partials)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (partials.Length < buffers.Count)
        {
            throw new ArgumentException($"{partials.Length} partials for {buffers.Count} buffers.", nameof(partials));
        }
        double total = 0;
        bool isMax = double.IsPositiveInfinity(p);
        for (int i = 0; i < buffers.Count; i++)
        {
            double s = Reductions.PowerSum(buffers[i].Span, p);
            partials[i] = s;
            total = isMax ? MaxPropagatingNaN(total, s) : total + s;
        }
        return total;
    }

    /// <summary>Multiplies every element of every buffer by <paramref name="factor"/>.</summary>
    public static void Scale(IReadOnlyList<Memory<float>> buffers, float factor)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        for (int i = 0; i < buffers.Count; i++)
        {
            Updates.Scale(buffers[i].Span, factor);
        }
    }

    private static double MaxPropagatingNaN(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);
}
