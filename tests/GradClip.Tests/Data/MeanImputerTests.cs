using System.Collections.Immutable;
using GradClip.Data;

namespace GradClip.Tests.Data;

public sealed class MeanImputerTests
{
    private static TabularData Data(params float[] features) => TabularData.ForRegression(
        [.. features], ["a", "b"], [.. Enumerable.Repeat(0f, features.Length / 2)], new DataDescription("y", "test", "given"));

    [Fact]
    public void Fills_each_missing_value_with_its_column_mean_over_the_training_rows_only()
    {
        // Rows: (1, NaN), (3, 4), (NaN, 8), (100, 100); rows 0-2 train. Means: a = (1 + 3) / 2 = 2, b = (4 + 8) / 2 = 6.
        var data = Data(1, float.NaN, 3, 4, float.NaN, 8, 100, 100);

        var imputer = MeanImputer.Fit(data, [0, 1, 2]);
        var filled = imputer.Transform(data);

        Assert.Equal([2.0, 6.0], imputer.Means.ToArray());
        Assert.Equal([1f, 6f, 3f, 4f, 2f, 8f, 100f, 100f], filled.Features.ToArray());
        Assert.False(MeanImputer.HasMissing(filled));
    }

    [Fact]
    public void A_column_empty_in_every_training_row_is_refused_by_name()
    {
        var data = Data(1, float.NaN, 3, float.NaN, 5, 6);

        var ex = Assert.Throws<DataFormatException>(() => MeanImputer.Fit(data, [0, 1]));

        Assert.Equal("b", ex.Column);
    }

    [Fact]
    public void Restored_means_fill_the_same_values()
    {
        var imputer = new MeanImputer(["a", "b"], [2.5, -1]);
        float[] rows = [float.NaN, 7, 4, float.NaN];

        imputer.Transform(rows, rows);

        Assert.Equal([2.5f, 7f, 4f, -1f], rows);
    }

    [Fact]
    public void Means_must_be_finite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanImputer(["a"], [double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanImputer(["a"], [1e39]));
    }
}
