using System.Collections.Immutable;
using System.Globalization;

namespace GradClip.Data;

/// <summary>Shifts and scales each feature to zero mean and unit variance, with statistics from the training rows only (as sklearn's StandardScaler).</summary>
/// <remarks>
/// The standard deviation is the population one (divided by n). A constant feature (standard deviation 0) is only
/// centred: its scale is 1, so nothing is divided by zero, and it is listed in <see cref="ConstantFeatures"/>.
/// Statistics are accumulated in double. To save and restore a standardizer, keep <see cref="FeatureNames"/>,
/// <see cref="Means"/> and <see cref="StandardDeviations"/>, and pass them to the constructor.
/// </remarks>
public sealed class Standardizer
{
    /// <summary>A standardizer with known statistics, one entry per feature.</summary>
    public Standardizer(IReadOnlyList<string> featureNames, IReadOnlyList<double> means, IReadOnlyList<double> standardDeviations)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (featureNames.Count == 0 || means.Count != featureNames.Count || standardDeviations.Count != featureNames.Count)
        {
            throw new ArgumentException(
                $"featureNames, means and standardDeviations must have the same, non-zero length, but have {featureNames.Count}, {means.Count} and {standardDeviations.Count}.",
                nameof(means));
        }
        for (int j = 0; j < featureNames.Count; j++)
        {
            if (!double.IsFinite(means[j]))
            {
                throw new ArgumentOutOfRangeException(nameof(means), means[j], $"means[{j}] must be finite, but was {Text(means[j])}.");
            }
            if (!(standardDeviations[j] >= 0 && double.IsFinite(standardDeviations[j])))
            {
                throw new ArgumentOutOfRangeException(nameof(standardDeviations), standardDeviations[j],
                    $"standardDeviations[{j}] must be finite and not negative, but was {Text(standardDeviations[j])}.");
            }
        }
        FeatureNames = [.. featureNames];
        Means = [.. means];
        StandardDeviations = [.. standardDeviations];
        Scales = [.. standardDeviations.Select(s => s == 0 ? 1.0 : s)];
        ConstantFeatures = [.. FeatureNames.Where((_, j) => StandardDeviations[j] == 0)];
    }

    /// <summary>Measures each feature's mean and population standard deviation over <paramref name="trainRows"/> of <paramref name="data"/>.</summary>
    public static Standardizer Fit(TabularData data, ReadOnlySpan<int> trainRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (trainRows.IsEmpty)
        {
            throw new ArgumentException("trainRows must name at least one row.", nameof(trainRows));
        }
        foreach (int row in trainRows)
        {
            if ((uint)row >= (uint)data.RowCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(trainRows), row, $"trainRows holds {row}, outside the {data.RowCount} rows of the data.");
            }
        }
        int features = data.FeatureCount;
        var means = new double[features];
        var deviations = new double[features];
        foreach (int row in trainRows)
        {
            ReadOnlySpan<float> values = data.Row(row);
            for (int j = 0; j < features; j++)
            {
                means[j] += values[j];
            }
        }
        for (int j = 0; j < features; j++)
        {
            means[j] /= trainRows.Length;
        }
        foreach (int row in trainRows)
        {
            ReadOnlySpan<float> values = data.Row(row);
            for (int j = 0; j < features; j++)
            {
                double centred = values[j] - means[j];
                deviations[j] += centred * centred;
            }
        }
        for (int j = 0; j < features; j++)
        {
            deviations[j] = Math.Sqrt(deviations[j] / trainRows.Length);
        }
        return new Standardizer(data.FeatureNames, means, deviations);
    }

    /// <summary>
    /// Measures a regression target's mean and population standard deviation over <paramref name="trainRows"/> of
    /// <paramref name="data"/>: a standardizer of one column, named after the target, for training on the standardized target
    /// and giving predictions back in its units (<see cref="InverseTransform"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The data is not a regression task, or no rows are given.</exception>
    public static Standardizer FitTarget(TabularData data, ReadOnlySpan<int> trainRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Task != TaskKind.Regression)
        {
            throw new ArgumentException("Only a regression target is standardized; a class index is not a quantity.", nameof(data));
        }
        var target = TabularData.ForRegression([.. data.Targets], [data.TargetName], data.Targets, new DataDescription(data.TargetName, data.Source, "its target"));
        return Fit(target, trainRows);
    }

    /// <summary>Undoes <see cref="Transform(ReadOnlySpan{float}, Span{float})"/> in place: each value times its scale plus its mean, computed in double.</summary>
    public void InverseTransform(Span<float> values)
    {
        if (values.Length % FeatureCount != 0)
        {
            throw new ArgumentException($"values holds {values.Length} values, not a whole number of rows of {FeatureCount}.", nameof(values));
        }
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % FeatureCount;
            values[i] = (float)(values[i] * Scales[j] + Means[j]);
        }
    }

    /// <summary>The number of features.</summary>
    public int FeatureCount => FeatureNames.Length;

    /// <summary>The feature names, in column order.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>Each feature's mean over the training rows.</summary>
    public ImmutableArray<double> Means { get; }

    /// <summary>Each feature's population standard deviation over the training rows (0 for a constant feature).</summary>
    public ImmutableArray<double> StandardDeviations { get; }

    /// <summary>What each feature is divided by after centring: its standard deviation, or 1 for a constant feature.</summary>
    public ImmutableArray<double> Scales { get; }

    /// <summary>The names of the features that were constant over the training rows, in column order.</summary>
    public ImmutableArray<string> ConstantFeatures { get; }

    /// <summary>Standardizes row-major <paramref name="features"/> (any number of rows) into <paramref name="destination"/>, which may be the same memory.</summary>
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length % FeatureCount != 0)
        {
            throw new ArgumentException(
                $"features holds {features.Length} values, not a whole number of rows of {FeatureCount}.", nameof(features));
        }
        if (destination.Length != features.Length)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} values but features holds {features.Length}.", nameof(destination));
        }
        for (int start = 0; start < features.Length; start += FeatureCount)
        {
            for (int j = 0; j < FeatureCount; j++)
            {
                destination[start + j] = (float)((features[start + j] - Means[j]) / Scales[j]);
            }
        }
    }

    /// <summary>Standardizes row-major <paramref name="features"/> (any number of rows) into a new array.</summary>
    public float[] Transform(ReadOnlySpan<float> features)
    {
        var destination = new float[features.Length];
        Transform(features, destination);
        return destination;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
