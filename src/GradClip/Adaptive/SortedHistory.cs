namespace GradClip.Adaptive;

/// <summary>
/// Every value seen, kept in ascending order so that a percentile is a lookup: adding is a binary search plus one
/// block move (O(n), a memmove of 8 bytes a value), reading a percentile is O(1). 10⁵ steps take 800 kB.
/// </summary>
internal sealed class SortedHistory
{
    private readonly List<double> _sorted = [];

    /// <summary>How many values have been added.</summary>
    public int Count => _sorted.Count;

    /// <summary>The values, ascending.</summary>
    public IReadOnlyList<double> Values => _sorted;

    /// <summary>Replaces the history with <paramref name="ascending"/>, which the caller has checked to be sorted.</summary>
    public void Replace(IEnumerable<double> ascending)
    {
        _sorted.Clear();
        _sorted.AddRange(ascending);
    }

    /// <summary>Inserts <paramref name="value"/> at its place in the order.</summary>
    public void Add(double value)
    {
        int index = _sorted.BinarySearch(value);
        _sorted.Insert(index < 0 ? ~index : index, value);
    }

    /// <summary>
    /// The <paramref name="q"/>-th percentile (0..100) with linear interpolation between ranks, as numpy's default and
    /// <see cref="Monitoring.Percentile.Of"/>; NaN when the history is empty.
    /// </summary>
    public double Percentile(double q) => Monitoring.Percentile.OfSorted(_sorted, q);
}
