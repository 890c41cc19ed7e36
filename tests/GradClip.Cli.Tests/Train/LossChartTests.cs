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
        Assert.Contains("1  2  3  4  5", lines[^1]);
        Assert.EndsWith("Epochs", lines[^1]);
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
}
