using System.Collections.Immutable;
using GradClip.Data;

namespace GradClip.Tests.Data;

/// <summary>Small in-memory datasets for tests, with features named f0, f1, ….</summary>
internal static class TestData
{
    public static TabularData Classification(float[] features, int featureCount, int[] labels)
    {
        int classes = labels.Max() + 1;
        return TabularData.ForClassification(
            [.. features], Names(featureCount), [.. labels], [.. Enumerable.Range(0, classes).Select(c => $"c{c}")], Description);
    }

    public static TabularData Regression(float[] features, int featureCount, float[] targets) =>
        TabularData.ForRegression([.. features], Names(featureCount), [.. targets], Description);

    /// <summary>A one-feature classification dataset whose class c has counts[c] rows, the rows of each class together.</summary>
    public static TabularData WithClassCounts(params int[] counts)
    {
        int[] labels = [.. counts.SelectMany((count, c) => Enumerable.Repeat(c, count))];
        return Classification([.. labels.Select(label => (float)label)], 1, labels);
    }

    private static DataDescription Description { get; } = new("y", "test", "given by the test");

    private static ImmutableArray<string> Names(int count) => [.. Enumerable.Range(0, count).Select(j => $"f{j}")];
}
