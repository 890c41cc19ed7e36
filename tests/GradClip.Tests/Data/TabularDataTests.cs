using GradClip.Data;

namespace GradClip.Tests.Data;

public class TabularDataTests
{
    private static readonly DataDescription Description = new("y", "test", "given");

    [Fact]
    public void Row_gives_one_row_of_the_row_major_features()
    {
        var data = TestData.Classification([1, 2, 3, 4, 5, 6], 3, [0, 1]);

        Assert.Equal(2, data.RowCount);
        Assert.Equal([4f, 5, 6], data.Row(1).ToArray());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => data.Row(2).ToArray());
        Assert.Equal("row", ex.ParamName);
    }

    [Fact]
    public void A_classification_dataset_has_labels_and_classes_but_no_targets()
    {
        var data = TestData.Classification([1, 2, 3], 1, [0, 1, 1]);

        Assert.Equal(TaskKind.Classification, data.Task);
        Assert.Equal(2, data.ClassCount);
        Assert.Empty(data.Targets);
        Assert.Equal("test", data.Source);
        Assert.Equal("y", data.TargetName);
    }

    [Fact]
    public void A_regression_dataset_has_targets_but_no_labels_or_classes()
    {
        var data = TestData.Regression([1, 2], 1, [0.5f, 1.5f]);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(0, data.ClassCount);
        Assert.Empty(data.Labels);
        Assert.Equal([0.5f, 1.5f], data.Targets.ToArray());
    }

    [Fact]
    public void Refuses_features_that_are_not_whole_rows_and_targets_of_another_length()
    {
        Assert.Throws<ArgumentException>(() => TabularData.ForRegression([1, 2, 3], ["a", "b"], [0, 1], Description));
        Assert.Throws<ArgumentException>(() => TabularData.ForRegression([1, 2], ["a"], [0], Description));
        Assert.Throws<ArgumentException>(() => TabularData.ForRegression([], ["a"], [], Description));
        Assert.Throws<ArgumentException>(() => TabularData.ForRegression([1], [], [0], Description));
    }

    [Fact]
    public void Refuses_labels_outside_the_classes_fewer_than_two_classes_and_non_finite_targets()
    {
        var label = Assert.Throws<ArgumentOutOfRangeException>(
            () => TabularData.ForClassification([1, 2], ["a"], [0, 2], ["p", "q"], Description));
        Assert.Contains("labels[1] is 2", label.Message);
        Assert.Throws<ArgumentException>(() => TabularData.ForClassification([1, 2], ["a"], [0, 0], ["p"], Description));
        Assert.Throws<ArgumentOutOfRangeException>(() => TabularData.ForRegression([1, 2], ["a"], [0, float.NaN], Description));
    }
}
