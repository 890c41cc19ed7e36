namespace GradClip.Diagnosis;

/// <summary>Appends the values of one trace column, allocating nothing until the first logged value.</summary>
internal sealed class TraceColumnBuilder(string name)
{
    private double[] _values = [];
    private ulong[] _logged = [];
    private int _count;
    private int _loggedCount;

    /// <summary>Appends a row: its value, or null when the log did not record one.</summary>
    public void Add(double? value)
    {
        if (value is { } v)
        {
            EnsureCapacity(_count + 1);
            _values[_count] = v;
            _logged[_count >> 6] |= 1UL << (_count & 63);
            _loggedCount++;
        }
        else if (_values.Length > _count)
        {
            _values[_count] = double.NaN;
        }
        _count++;
    }

    /// <summary>The column as it stands; later appends do not show in it.</summary>
    public TraceColumn Build()
    {
        // Also for a column no row logged: its rows must still read as not logged (NaN), not fall off an empty array.
        EnsureCapacity(_count);
        return new TraceColumn(name, _values, _logged, _count, _loggedCount);
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _values.Length)
        {
            return;
        }
        int capacity = Math.Max(Math.Max(rows, 256), (int)Math.Min(Array.MaxLength, 2L * _values.Length));
        int filled = _values.Length;
        Array.Resize(ref _values, capacity);
        // Rows appended unlogged before the first logged value (or past the old end) read NaN.
        _values.AsSpan(Math.Min(filled, _count)).Fill(double.NaN);
        Array.Resize(ref _logged, (capacity + 63) >> 6);
    }
}
