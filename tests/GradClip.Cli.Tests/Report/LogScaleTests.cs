using GradClip.Cli.Report;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace GradClip.Cli.Tests.Report;

public sealed class LogScaleTests
{
    [Fact]
    public void Points_keeps_positive_finite_values_as_their_logs_and_counts_the_rest()
    {
        var (x, logY, leftOut) = LogScale.Points([(1, 100), (2, 0), (3, -1), (4, null), (5, double.NaN), (6, double.PositiveInfinity), (7, 0.01)]);

        Assert.Equal([1.0, 7.0], x);
        Assert.Equal([2.0, -2.0], logY);
        Assert.Equal(5, leftOut);
    }

    [Fact]
    public void A_short_range_is_labelled_at_one_two_and_five_times_powers_of_ten()
    {
        using var plot = new Plot();

        LogScale.Apply(plot, Math.Log10(0.3), Math.Log10(3));

        Assert.Equal(["0.5", "1", "2"], MajorLabels(plot));
    }

    [Fact]
    public void A_long_range_is_labelled_at_powers_of_ten_only()
    {
        using var plot = new Plot();

        LogScale.Apply(plot, -3, 4);

        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000", "10000"], MajorLabels(plot));
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Bottom < -3 && limits.Top > 4);
    }

    [Fact]
    public void LogOrNaN_gives_NaN_for_values_without_a_logarithm()
    {
        Assert.Equal(1, LogScale.LogOrNaN(10));
        Assert.True(double.IsNaN(LogScale.LogOrNaN(0)));
        Assert.True(double.IsNaN(LogScale.LogOrNaN(null)));
        Assert.True(double.IsNaN(LogScale.LogOrNaN(double.PositiveInfinity)));
    }

    private static IEnumerable<string> MajorLabels(Plot plot)
    {
        plot.GetSvgXml(RunPlots.Width, RunPlots.Height); // ticks are generated for the visible range while rendering
        return Assert.IsType<NumericManual>(plot.Axes.Left.TickGenerator).Ticks.Where(t => t.IsMajor).OrderBy(t => t.Position).Select(t => t.Label);
    }
}
