namespace GradClip.Diagnosis;

/// <summary>A value far above the median of the rows before it.</summary>
/// <param name="Index">Its position in the series it was found in.</param>
/// <param name="Row">Its trace row.</param>
/// <param name="Value">The value.</param>
/// <param name="RecentMedian">The median of the rows before it.</param>
internal readonly record struct Spike(int Index, int Row, double Value, double RecentMedian)
{
    /// <summary>How many times the recent median the value is.</summary>
    public double Ratio => Value / RecentMedian;
}
