namespace GradClip.Diagnosis;

/// <summary>
/// One field of a run trace, a value per step row. A row may hold no value (the log did not record the field at that
/// step), which is told apart from a logged NaN or ±∞.
/// </summary>
public sealed class TraceColumn
{
    private readonly double[] _values;
    private readonly ulong[] _logged;

    internal TraceColumn(string name, double[] values, ulong[] logged, int count, int loggedCount)
    {
        Name = name;
        _values = values;
        _logged = logged;
        Count = count;
        LoggedCount = loggedCount;
    }

    /// <summary>The field's name (for a per-layer norm, the layer's).</summary>
    public string Name { get; }

    /// <summary>How many rows the column has (the trace's step count).</summary>
    public int Count { get; }

    /// <summary>How many rows hold a logged value.</summary>
    public int LoggedCount { get; }

    /// <summary>Whether every row holds a logged value.</summary>
    public bool IsComplete => LoggedCount == Count;

    /// <summary>The value of <paramref name="row"/>, or null when the log did not record it there.</summary>
    public double? this[int row] => IsLogged(row) ? _values[row] : null;

    /// <summary>Every row's value; a row that was not logged reads NaN, so check <see cref="IsLogged"/> where it matters.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    /// <summary>Whether the log recorded a value (possibly NaN or ±∞) at <paramref name="row"/>.</summary>
    public bool IsLogged(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Count);
        return (_logged[row >> 6] & (1UL << (row & 63))) != 0;
    }

    /// <summary>The rows that hold a logged value, with it, in row order.</summary>
    public IEnumerable<(int Row, double Value)> Logged()
    {
        for (int row = 0; row < Count; row++)
        {
            if (IsLogged(row))
            {
                yield return (row, _values[row]);
            }
        }
    }
}
