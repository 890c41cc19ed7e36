namespace GradClip.Adaptive;

/// <summary>
/// Every value seen, kept for one percentile q: the values up to the rank floor(q/100·(n−1)) in a max-heap, the rest in a
/// min-heap, so that adding is O(log n) and the percentile O(1) — a million steps take about a second, where a sorted
/// list's O(n) insertions would take hours. The percentile is numpy's (linear interpolation between the ranks either
/// side), the same figures as <see cref="Monitoring.Percentile.Of"/>, bit for bit. 16 bytes a value.
/// </summary>
internal sealed class PercentileHistory(double q)
{
    private readonly PriorityQueue<double, double> _lower = new(); // the smallest values, largest first (priority −value)
    private readonly PriorityQueue<double, double> _upper = new(); // the others, smallest first

    /// <summary>How many values have been added.</summary>
    public int Count => _lower.Count + _upper.Count;

    /// <summary>The values, ascending (sorted on each call: for checkpoints, not for every step).</summary>
    public IReadOnlyList<double> Values =>
        [.. _lower.UnorderedItems.Select(item => item.Element).Concat(_upper.UnorderedItems.Select(item => item.Element)).Order()];

    /// <summary>Replaces the history with <paramref name="ascending"/>, which the caller has checked to be sorted.</summary>
    public void Replace(IEnumerable<double> ascending)
    {
        _lower.Clear();
        _upper.Clear();
        foreach (double value in ascending)
        {
            Add(value);
        }
    }

    /// <summary>Adds <paramref name="value"/>, keeping the lower heap holding exactly the values up to the percentile's rank.</summary>
    public void Add(double value)
    {
        if (_lower.Count > 0 && value <= _lower.Peek())
        {
            _lower.Enqueue(value, -value);
        }
        else
        {
            _upper.Enqueue(value, value);
        }
        int wanted = Below(Count) + 1;
        while (_lower.Count > wanted)
        {
            double moved = _lower.Dequeue();
            _upper.Enqueue(moved, moved);
        }
        while (_lower.Count < wanted)
        {
            double moved = _upper.Dequeue();
            _lower.Enqueue(moved, -moved);
        }
    }

    /// <summary>The q-th percentile of the values, interpolated as numpy does; NaN when there are none.</summary>
    public double Percentile()
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        double rank = q / 100 * (Count - 1);
        int below = (int)Math.Floor(rank);
        double low = _lower.Peek();
        double high = below + 1 < Count ? _upper.Peek() : low;
        return low + (rank - below) * (high - low);
    }

    /// <summary>The 0-based rank of the value below the percentile among <paramref name="count"/> values.</summary>
    private int Below(int count) => (int)Math.Floor(q / 100 * (count - 1));
}
