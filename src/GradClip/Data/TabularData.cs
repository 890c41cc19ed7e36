using System.Collections.Immutable;

namespace GradClip.Data;

/// <summary>A table of numeric features with one target per row: class indices for classification, values for regression.</summary>
/// <remarks>
/// Features are row-major: the value of feature <c>j</c> in row <c>i</c> is <c>Features[i * FeatureCount + j]</c>.
/// Every array is immutable, so a dataset can be shared between the trainer, the split and the standardizer.
/// </remarks>
public sealed class TabularData
{
    private TabularData(
        ImmutableArray<float> features,
        ImmutableArray<string> featureNames,
        TaskKind task,
        ImmutableArray<int> labels,
        ImmutableArray<string> classNames,
        ImmutableArray<float> targets,
        DataDescription description)
    {
        Features = features;
        FeatureNames = featureNames;
        Task = task;
        Labels = labels;
        ClassNames = classNames;
        Targets = targets;
        TargetName = description.TargetName;
        Source = description.Source;
        TaskReason = description.TaskReason;
        Layout = description.Layout;
    }

    /// <summary>A classification dataset; <paramref name="labels"/> holds one index into <paramref name="classNames"/> per row.</summary>
    public static TabularData ForClassification(
        ImmutableArray<float> features,
        ImmutableArray<string> featureNames,
        ImmutableArray<int> labels,
        ImmutableArray<string> classNames,
        DataDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        int rows = RequireShape(features, featureNames, labels.IsDefault ? -1 : labels.Length, nameof(labels));
        if (classNames.IsDefault || classNames.Length < 2)
        {
            throw new ArgumentException("A classification dataset needs at least two class names.", nameof(classNames));
        }
        for (int i = 0; i < rows; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Length)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[i], $"labels[{i}] is {labels[i]}, outside the {classNames.Length} classes.");
            }
        }
        return new TabularData(features, featureNames, TaskKind.Classification, labels, classNames, [], description);
    }

    /// <summary>A regression dataset; <paramref name="targets"/> holds one finite value per row.</summary>
    public static TabularData ForRegression(
        ImmutableArray<float> features,
        ImmutableArray<string> featureNames,
        ImmutableArray<float> targets,
        DataDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        int rows = RequireShape(features, featureNames, targets.IsDefault ? -1 : targets.Length, nameof(targets));
        for (int i = 0; i < rows; i++)
        {
            if (!float.IsFinite(targets[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i], $"targets[{i}] must be finite.");
            }
        }
        return new TabularData(features, featureNames, TaskKind.Regression, [], [], targets, description);
    }

    /// <summary>The number of rows (examples).</summary>
    public int RowCount => Features.Length / FeatureNames.Length;

    /// <summary>The number of feature columns (the target is not one of them).</summary>
    public int FeatureCount => FeatureNames.Length;

    /// <summary>The feature values, row-major: <see cref="RowCount"/> × <see cref="FeatureCount"/>.</summary>
    public ImmutableArray<float> Features { get; }

    /// <summary>The name of each feature column, in column order.</summary>
    public ImmutableArray<string> FeatureNames { get; }

    /// <summary>Whether the target holds classes or values.</summary>
    public TaskKind Task { get; }

    /// <summary>For classification, each row's class index into <see cref="ClassNames"/>; empty for regression.</summary>
    public ImmutableArray<int> Labels { get; }

    /// <summary>For classification, the original label text of each class index; empty for regression.</summary>
    public ImmutableArray<string> ClassNames { get; }

    /// <summary>The number of classes (0 for regression).</summary>
    public int ClassCount => ClassNames.Length;

    /// <summary>For regression, each row's target value; empty for classification.</summary>
    public ImmutableArray<float> Targets { get; }

    /// <summary>The name of the target column.</summary>
    public string TargetName { get; }

    /// <summary>Where the data came from: the file path as given, or <c>built-in</c>.</summary>
    public string Source { get; }

    /// <summary>Why <see cref="Task"/> was chosen, in a sentence the command line can print.</summary>
    public string TaskReason { get; }

    /// <summary>How the file was read (delimiter, decimal separator, header), or empty for data that is no file.</summary>
    public string Layout { get; }

    /// <summary>The same rows, targets and names with other feature values (e.g. missing values filled in).</summary>
    public TabularData WithFeatures(ImmutableArray<float> features)
    {
        if (features.Length != Features.Length)
        {
            throw new ArgumentException($"features must hold {Features.Length} values, but holds {features.Length}.", nameof(features));
        }
        var description = new DataDescription(TargetName, Source, TaskReason, Layout);
        var copy = Task == TaskKind.Classification
            ? ForClassification(features, FeatureNames, Labels, ClassNames, description)
            : ForRegression(features, FeatureNames, Targets, description);
        copy.SourceLines = SourceLines;
        return copy;
    }

    /// <summary>The line of its source file each row was read from (counting from 1), or empty when the rows came from no file.</summary>
    public ImmutableArray<int> SourceLines { get; private set; } = [];

    /// <summary>This dataset with the line of its source file each row was read from.</summary>
    /// <exception cref="ArgumentException"><paramref name="lines"/> does not hold one line per row.</exception>
    public TabularData WithSourceLines(ImmutableArray<int> lines)
    {
        if (lines.IsDefault || lines.Length != RowCount)
        {
            throw new ArgumentException($"lines must hold one entry for each of the {RowCount} rows.", nameof(lines));
        }
        var copy = WithFeatures(Features);
        copy.SourceLines = lines;
        return copy;
    }

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {RowCount}), but was {row}.");
        }
        return Features.AsSpan(row * FeatureCount, FeatureCount);
    }

    private static int RequireShape(ImmutableArray<float> features, ImmutableArray<string> featureNames, int targetCount, string targetName)
    {
        if (featureNames.IsDefault || featureNames.IsEmpty)
        {
            throw new ArgumentException("A dataset needs at least one feature.", nameof(featureNames));
        }
        if (features.IsDefault || features.IsEmpty || features.Length % featureNames.Length != 0)
        {
            throw new ArgumentException(
                $"features must hold a whole, non-zero number of rows of {featureNames.Length} values.", nameof(features));
        }
        int rows = features.Length / featureNames.Length;
        if (targetCount != rows)
        {
            throw new ArgumentException($"{targetName} must hold one entry for each of the {rows} rows.", targetName);
        }
        return rows;
    }
}
