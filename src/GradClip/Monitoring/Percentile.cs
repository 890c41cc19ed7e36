namespace GradClip.Monitoring;

/// <summary>Percentiles of observed values, with linear interpolation between ranks (numpy's default).</summary>
public static class Percentile
{
    /// <summary>The <paramref name="q"/>-th percentile (0..100) of the finite values; NaN when there are none.</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(q >= 0 && q <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(q), q, $"q must be between 0 and 100, but was {q.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        return OfSorted(values.Where(double.IsFinite).Order().ToArray(), q);
    }

    /// <summary>The <paramref name="q"/>-th percentile of values already sorted ascending; NaN when there are none.</summary>
    internal static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        double rank = q / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>The median of the finite values.</summary>
    public static double Median(IEnumerable<double> values) => Of(values, 50);
}
