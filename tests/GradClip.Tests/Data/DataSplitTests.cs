using GradClip.Data;

namespace GradClip.Tests.Data;

public class DataSplitTests
{
    [Fact]
    public void Each_class_keeps_its_proportion_in_validation()
    {
        var data = TestData.WithClassCounts(100, 50, 10);

        var split = DataSplit.Create(data, 0.2, seed: 3);

        var perClass = split.ValidationRows.GroupBy(row => data.Labels[row]).OrderBy(g => g.Key).Select(g => g.Count());
        Assert.Equal([20, 10, 2], perClass.ToArray());
        Assert.Equal(128, split.TrainRows.Length);
    }

    [Fact]
    public void Every_class_of_two_rows_or_more_is_in_both_parts_and_a_single_row_trains()
    {
        var data = TestData.WithClassCounts(2, 1, 3, 40);

        var split = DataSplit.Create(data, 0.1);

        int[] validationClasses = [.. split.ValidationRows.Select(row => data.Labels[row]).Distinct().Order()];
        int[] trainClasses = [.. split.TrainRows.Select(row => data.Labels[row]).Distinct().Order()];
        Assert.Equal([0, 2, 3], validationClasses);
        Assert.Equal([0, 1, 2, 3], trainClasses);
    }

    [Fact]
    public void The_parts_do_not_overlap_and_together_cover_every_row_in_ascending_order()
    {
        var data = BuiltInData.Shells();

        var split = DataSplit.Create(data, 0.25, seed: 9);

        Assert.Empty(split.TrainRows.Intersect(split.ValidationRows));
        Assert.Equal(Enumerable.Range(0, data.RowCount), split.TrainRows.Concat(split.ValidationRows).Order());
        Assert.Equal(split.TrainRows.Order(), split.TrainRows);
        Assert.Equal(split.ValidationRows.Order(), split.ValidationRows);
        Assert.Equal(250, split.ValidationRows.Length);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var data = BuiltInData.Shells();

        var first = DataSplit.Create(data, seed: 5);
        var again = DataSplit.Create(data, seed: 5);
        var other = DataSplit.Create(data, seed: 6);

        Assert.Equal(first.ValidationRows.ToArray(), again.ValidationRows.ToArray());
        Assert.NotEqual(first.ValidationRows.ToArray(), other.ValidationRows.ToArray());
    }

    [Fact]
    public void Regression_data_is_split_by_a_seeded_shuffle()
    {
        var data = TestData.Regression([.. Enumerable.Range(0, 50).Select(i => (float)i)], 1, [.. Enumerable.Range(0, 50).Select(i => i * 0.5f)]);

        var split = DataSplit.Create(data, 0.3, seed: 1);

        Assert.Equal(15, split.ValidationRows.Length);
        Assert.Equal(35, split.TrainRows.Length);
        Assert.Equal(split.ValidationRows.ToArray(), DataSplit.Create(data, 0.3, seed: 1).ValidationRows.ToArray());
        Assert.NotEqual(Enumerable.Range(35, 15), split.ValidationRows);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_validation_fraction_outside_zero_to_one_is_refused_by_name(double fraction)
    {
        var data = TestData.WithClassCounts(5, 5);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Create(data, fraction));

        Assert.Equal("validationFraction", ex.ParamName);
        Assert.Equal(fraction, ex.ActualValue);
        Assert.Contains("between 0 and 1", ex.Message);
    }

    [Fact]
    public void Data_with_no_class_of_two_rows_cannot_be_split()
    {
        var data = TestData.WithClassCounts(1, 1);

        var ex = Assert.Throws<ArgumentException>(() => DataSplit.Create(data));

        Assert.Contains("too small to split", ex.Message);
    }
}
