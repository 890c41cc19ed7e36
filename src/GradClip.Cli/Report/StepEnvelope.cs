namespace GradClip.Cli.Report;

/// <summary>
/// Thins a per-step series to a bounded number of points per pixel column without losing a spike: the x range is cut into
/// equal buckets, and each bucket keeps its first, lowest, highest and last point, in step order (the M4 envelope), so a
/// line through them touches every extreme the full series reaches.
/// </summary>
internal static class StepEnvelope
{
    /// <summary>The buckets a plot's x range is cut into: one per pixel column of its image.</summary>
    public const int Buckets = RunPlots.Width;

    /// <summary>
    /// The points of (<paramref name="xs"/>, <paramref name="ys"/>), x ascending, that keep each bucket's first, lowest,
    /// highest and last point; every point when there are no more than four per bucket.
    /// </summary>
    public static (double[] X, double[] Y) Reduce(double[] xs, double[] ys, int buckets = Buckets)
    {
        Check(xs, ys, buckets);
        if (xs.Length <= 4 * buckets)
        {
            return (xs, ys);
        }
        var kept = new List<int>(4 * buckets);
        foreach (var (start, end) in Ranges(xs, buckets))
        {
            int low = start, high = start;
            for (int i = start + 1; i < end; i++)
            {
                low = ys[i] < ys[low] ? i : low;
                high = ys[i] > ys[high] ? i : high;
            }
            int[] extremes = [start, Math.Min(low, high), Math.Max(low, high), end - 1];
            foreach (int index in extremes.Distinct())
            {
                kept.Add(index);
            }
        }
        return ([.. kept.Select(i => xs[i])], [.. kept.Select(i => ys[i])]);
    }

    /// <summary>The highest point of each bucket (for marks such as clipped steps); every point when there is at most one per bucket.</summary>
    public static (double[] X, double[] Y) Peaks(double[] xs, double[] ys, int buckets = Buckets)
    {
        Check(xs, ys, buckets);
        if (xs.Length <= buckets)
        {
            return (xs, ys);
        }
        var kept = new List<int>(buckets);
        foreach (var (start, end) in Ranges(xs, buckets))
        {
            int high = start;
            for (int i = start + 1; i < end; i++)
            {
                high = ys[i] > ys[high] ? i : high;
            }
            kept.Add(high);
        }
        return ([.. kept.Select(i => xs[i])], [.. kept.Select(i => ys[i])]);
    }

    /// <summary>The first x of each bucket that holds any of <paramref name="xs"/> (for marks without a value, such as non-finite steps).</summary>
    public static double[] Marks(double[] xs, double first, double last, int buckets = Buckets)
    {
        ArgumentNullException.ThrowIfNull(xs);
        var kept = new List<double>();
        int previous = -1;
        foreach (double x in xs)
        {
            int bucket = Bucket(x, first, last, buckets);
            if (bucket != previous)
            {
                kept.Add(x);
                previous = bucket;
            }
        }
        return [.. kept];
    }

    /// <summary>The bucket of <paramref name="x"/> when [<paramref name="first"/>, <paramref name="last"/>] is cut into <paramref name="buckets"/> equal parts.</summary>
    public static int Bucket(double x, double first, double last, int buckets) =>
        last > first ? Math.Clamp((int)((x - first) / (last - first) * buckets), 0, buckets - 1) : 0;

    /// <summary>The index ranges [start, end) of the non-empty buckets, in order.</summary>
    private static List<(int Start, int End)> Ranges(double[] xs, int buckets)
    {
        var ranges = new List<(int, int)>(buckets);
        int start = 0;
        for (int i = 1; i <= xs.Length; i++)
        {
            if (i == xs.Length || Bucket(xs[i], xs[0], xs[^1], buckets) != Bucket(xs[start], xs[0], xs[^1], buckets))
            {
                ranges.Add((start, i));
                start = i;
            }
        }
        return ranges;
    }

    private static void Check(double[] xs, double[] ys, int buckets)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        ArgumentOutOfRangeException.ThrowIfNotEqual(ys.Length, xs.Length, nameof(ys));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(buckets);
    }
}
