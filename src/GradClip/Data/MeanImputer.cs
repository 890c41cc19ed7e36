using System.Collections.Immutable;

namespace GradClip.Data;

/// <summary>Fills missing feature values (NaN) with each feature's mean over the training rows, as scikit-learn's <c>SimpleImputer(strategy="mean")</c>.</summary>
/// <remarks>
/// The means are measured on the training rows only (in double, over the cells present), so that validation rows and
/// later inputs are filled with the same values. To save and restore an imputer, keep <see cref="FeatureNames"/> and
/// <see cref="Means"/> and pass them to the constructor.
/// </remarks>
public sealed class MeanImputer
{
    /// <summary>An imputer with known fill values, one per feature.</summary>
    public MeanImputer(IReadOnlyList<string> featureNames, IReadOnlyList<double> means)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(means);
        if (featureNames.Count == 0 || means.Count != featureNames.Count)
        {
            throw new ArgumentException($"featureNames and means must have the same, non-zero length, but have {featureNames.Count} and {means.Count}.", nameof(means));
        }
        for (int j = 0; j < means.Count; j++)
        {
            if (!double.IsFinite(means[j]) || !float.IsFinite((float)means[j]))
            {
                throw new ArgumentOutOfRangeException(nameof(means), means[j], $"means[{j}] must be a finite float32 value.");
            }
        }
        FeatureNames = [.. featureNames];
        Means = [.. means];
    }

    /// <summary>Measures each feature's mean over the cells of <paramref name="trainRows"/> that are not NaN.</summary>
    /// <exception cref="DataFormatException">A feature has no value in any training row.</exception>
    public static MeanImputer Fit(TabularData data, ReadOnlySpan<int> trainRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        int width = data.FeatureCount;
        var sums = new double[width];
        var counts = new int[width];
        foreach (int row in trainRows)
        {
            ReadOnlySpan<float> values = data.Row(row);
            for (int j = 0; j < width; j++)
            {
                if (!float.IsNaN(values[j]))
                {
                    sums[j] += values[j];
                    counts[j]++;
                }
            }
        }
        for (int j = 0; j < width; j++)
        {
            if (counts[j] == 0)
            {
                throw new DataFormatException(data.Source, null, data.FeatureNames[j],
                    "every training row's cell is empty, so there is no mean to fill the missing values with");
            }
            sums[j] /= counts[j];
        }
        return new MeanImputer(data.FeatureNames, sums);
    }

    /// <summary>True when a feature value of <paramref name="data"/> is missing (NaN).</summary>
    public static bool HasMissing(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (float value in data.Features)
        {
            if (float.IsNaN(value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The feature names, in column order.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>The value each feature's missing cells are filled with.</summary>
    public ImmutableArray<double> Means { get; }

    /// <summary>Copies row-major <paramref name="features"/> into <paramref name="destination"/> (may be the same memory), each NaN replaced by its feature's mean.</summary>
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (features.Length % FeatureNames.Length != 0 || destination.Length != features.Length)
        {
            throw new ArgumentException(
                $"features must hold whole rows of {FeatureNames.Length} values and destination as many values, but they hold {features.Length} and {destination.Length}.",
                nameof(features));
        }
        for (int i = 0; i < features.Length; i++)
        {
            float value = features[i];
            destination[i] = float.IsNaN(value) ? (float)Means[i % FeatureNames.Length] : value;
        }
    }

    /// <summary>The data with every missing feature value filled.</summary>
    public TabularData Transform(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var filled = new float[data.Features.Length];
        Transform(data.Features.AsSpan(), filled);
        return data.WithFeatures(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(filled));
    }
}
