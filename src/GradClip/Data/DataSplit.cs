using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using GradClip.Randomness;

namespace GradClip.Data;

/// <summary>Which rows of a dataset train the model and which validate it; each list in ascending order, together every row once.</summary>
public sealed class DataSplit
{
    /// <summary>The validation fraction used when none is given.</summary>
    public const double DefaultValidationFraction = 0.2;

    private DataSplit(int[] trainRows, int[] validationRows)
    {
        TrainRows = ImmutableCollectionsMarshal.AsImmutableArray(trainRows);
        ValidationRows = ImmutableCollectionsMarshal.AsImmutableArray(validationRows);
    }

    /// <summary>The training row indices, ascending.</summary>
    public ImmutableArray<int> TrainRows { get; }

    /// <summary>The validation row indices, ascending.</summary>
    public ImmutableArray<int> ValidationRows { get; }

    /// <summary>Splits <paramref name="data"/> at random from <paramref name="seed"/>: stratified by class for classification, a plain shuffle for regression.</summary>
    /// <remarks>
    /// Classification: each class sends round(fraction × its rows) to validation, but at least one and never all, so
    /// that every class with two rows or more is in both parts and keeps its proportion; a class with a single row
    /// trains only. Regression: round(fraction × rows) random rows validate, at least one and never all.
    /// The same data, fraction and seed give the same split on every machine.
    /// </remarks>
    public static DataSplit Create(TabularData data, double validationFraction = DefaultValidationFraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"validationFraction must be between 0 and 1 (both excluded), but was {validationFraction.ToString("R", CultureInfo.InvariantCulture)}.");
        }
        var random = new Generator(seed);
        var validation = new List<int>();
        foreach (List<int> group in Groups(data))
        {
            Span<int> rows = CollectionsMarshal.AsSpan(group);
            random.Shuffle(rows);
            validation.AddRange(rows[..ValidationCount(rows.Length, validationFraction)]);
        }
        if (validation.Count == 0)
        {
            throw new ArgumentException(
                $"{data.Source} is too small to split: validation needs a class (for regression, a dataset) of two rows or more.",
                nameof(data));
        }
        bool[] validates = new bool[data.RowCount];
        foreach (int row in validation)
        {
            validates[row] = true;
        }
        int[] train = [.. Enumerable.Range(0, data.RowCount).Where(row => !validates[row])];
        int[] validationRows = [.. Enumerable.Range(0, data.RowCount).Where(row => validates[row])];
        return new DataSplit(train, validationRows);
    }

    /// <summary>The rows split as one group each: one per class (in class order) for classification, all rows for regression.</summary>
    private static List<int>[] Groups(TabularData data)
    {
        if (data.Task == TaskKind.Regression)
        {
            return [[.. Enumerable.Range(0, data.RowCount)]];
        }
        var groups = new List<int>[data.ClassCount];
        for (int c = 0; c < groups.Length; c++)
        {
            groups[c] = [];
        }
        for (int row = 0; row < data.RowCount; row++)
        {
            groups[data.Labels[row]].Add(row);
        }
        return groups;
    }

    /// <summary>round(fraction × rows), kept within [1, rows − 1] so that both parts get a row; 0 for a single row.</summary>
    private static int ValidationCount(int rows, double fraction) =>
        rows < 2 ? 0 : Math.Clamp((int)Math.Round(fraction * rows, MidpointRounding.AwayFromZero), 1, rows - 1);
}
