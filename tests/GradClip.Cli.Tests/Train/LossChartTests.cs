using GradClip.Cli.Train;

namespace GradClip.Cli.Tests.Train;

public class LossChartTests
{
    [Fact]
    public void Draws_the_seed_trace_highest_loss_on_top_and_lowest_at_the_bottom()
    {
        var lines = LossChart.Render([1.2, 0.85, 0.6, 0.45, 0.35], [null, null, null, null, null], height: 4);

        Assert.Equal("Loss", lines[0]);
        Assert.StartsWith("1.2 |*", lines[1].TrimStart());
        Assert.StartsWith("0.35 |", lines[4].TrimStart());
        Assert.EndsWith("*", lines[4]);
        Assert.Contains("1  2  3  4  5", lines[^2]);
        Assert.EndsWith("Epochs", lines[^2]);
        // No validation loss, so the legend does not promise one.
        Assert.Equal(LossChart.TrainLegend, lines[^1].Trim());
    }

    [Fact]
    public void Marks_validation_losses_and_non_finite_losses()
    {
        var lines = LossChart.Render([1.0, double.NaN, 0.5], [0.9, null, 0.8], height: 5);

        Assert.Contains('o', string.Concat(lines.Skip(1).Take(5)));
        Assert.Equal('!', lines[1][lines[1].IndexOf('|') + 1 + 3]);
    }

    [Fact]
    public void Says_so_when_nothing_is_finite()
    {
        Assert.Equal(["(no finite loss to plot)"], LossChart.Render([double.NaN], [null]));
    }

    [Theory]
    [InlineData(5, 80)]
    [InlineData(100, 80)]
    [InlineData(1000, 80)]
    [InlineData(100_000, 60)]
    [InlineData(300, 200)]
    public void Fits_the_width_at_any_number_of_epochs_and_ends_with_its_legend(int epochs, int width)
    {
        double[] train = [.. Enumerable.Range(0, epochs).Select(e => 2.0 / (e + 1))];
        double?[] validation = [.. train.Select(t => (double?)(t + 0.1))];

        var lines = LossChart.Render(train, validation, width);

        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
        Assert.Equal(LossChart.Legend, lines[^1].Trim());
        Assert.EndsWith($"{epochs} Epochs", lines[^2]);
        // The first column's losses are the highest, the last column's train loss the lowest: the chart spans its full height.
        Assert.True(lines[1].IndexOfAny(['o', '*']) > lines[1].IndexOf('|'), lines[1]);
        Assert.Contains('*', lines[8]);
    }

    [Fact]
    public void A_column_standing_for_several_epochs_shows_their_mean_and_marks_a_non_finite_one()
    {
        // 40 epochs in a 20-column plot: two epochs a column. Epochs 1-2 (2 and 0) average 1, the middle row between epoch 3-4's
        // 0 and epoch 5-6's 2 (4 and 0); the last two hold a NaN.
        double[] train = [.. Enumerable.Range(0, 40).Select(e => e switch { 0 => 2.0, 4 => 4.0, 39 => double.NaN, _ => 0.0 })];
        double?[] validation = [.. Enumerable.Repeat<double?>(null, 40)];

        var lines = LossChart.Render(train, validation, width: 30, height: 5);

        int origin = lines[1].IndexOf('|') + 1;
        Assert.Equal(20, lines[6].Length - origin);
        Assert.Equal('*', lines[3][origin]);
        Assert.Equal('!', lines[1][origin + 19]);
        Assert.Equal('*', lines[5][origin + 1]);
    }

    [Fact]
    public void A_narrow_chart_gets_the_short_legend()
    {
        var lines = LossChart.Render([1.0, 0.5], [0.9, 0.6], width: 30);

        Assert.Equal(LossChart.ShortLegend, lines[^1].Trim());
        Assert.All(lines, line => Assert.True(line.Length <= 30, line));
    }
}
