using GradClip.Cli.Report;
using ScottPlot;

namespace GradClip.Cli.Tests.Report;

public sealed class ComparisonPlotsTests
{
    [Fact]
    public void A_regression_comparison_plots_its_headline_metric_under_its_name()
    {
        var comparison = Comparison("val_rmse", Strategy("norm:1", null, 0.5, 0.4), Strategy("none", null, 0.9, 0.8));

        var plots = ComparisonPlots.Render(comparison);

        Assert.Equal(["loss", "val_rmse", "grad_norm", "clip_rate"], plots.Select(p => p.Name));
        Assert.All(plots, p => Assert.Equal((RunPlots.Width, RunPlots.Height), TrainedRun.PngSize(p.Png)));
        Assert.All(plots, p => Assert.Subset(TrainedRun.SvgTexts(TrainedRun.Svg(p.Svg)).ToHashSet(), new HashSet<string> { p.Title, "norm:1", "none" }));
        Assert.Equal("Val RMSE by epoch", plots[1].Title);
    }

    [Fact]
    public void Each_strategy_is_one_line_in_its_own_colour()
    {
        using var plot = ComparisonPlots.TrainingLoss([Strategy("a", null, 1, 0.5), Strategy("b", null, 2, 1), Strategy("c", null, 3, 2)]);

        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
        Assert.Equal(["a", "b", "c"], lines.Select(l => l.LegendText));
        Assert.Equal(3, lines.Select(l => l.Color).Distinct().Count());
        Assert.Equal(Math.Log10(0.5), lines[0].Data.GetScatterPoints()[1].Y, 12);
    }

    [Fact]
    public void A_strategy_with_no_finite_loss_is_named_in_the_legend_and_its_values_counted_in_the_title()
    {
        using var plot = ComparisonPlots.TrainingLoss([Strategy("none", 2, null, null), Strategy("norm:1", null, 1, 0.5)]);

        var texts = Texts(plot);
        Assert.Contains("none: no finite value", texts);
        Assert.Contains("norm:1", texts);
        Assert.Contains("Training loss by epoch (2 zero or non-finite values left out)", texts);
    }

    [Fact]
    public void The_gradient_norm_marks_the_first_non_finite_step_in_the_strategy_colour_and_counts_what_it_leaves_out()
    {
        var diverged = Strategy("none", 2, 1, null);

        using var plot = ComparisonPlots.GradientNorm([diverged, Strategy("norm:1", null, 1, 0.5)]);

        var texts = Texts(plot);
        Assert.Contains("none: first NaN/∞ at step 2", texts);
        Assert.Contains("Total gradient norm by step (1 zero or non-finite value left out)", texts);
        var marker = Assert.Single(plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>());
        Assert.Equal(2, marker.X);
        var line = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(s => s.LegendText == "none");
        Assert.Equal(line.Color, marker.LineColor);
    }

    [Fact]
    public void The_clip_rate_is_in_percent_for_every_strategy()
    {
        using var plot = ComparisonPlots.ClipRate([Strategy("norm:1", null, 1, 0.5), Strategy("value:0.5", null, 1, 0.5)]);

        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal([25.0, 25.0], l.Data.GetScatterPoints().Select(p => p.Y)));
        Assert.Contains("Clip rate by epoch", Texts(plot));
    }

    internal static ComparisonRecords Comparison(string metric, params ComparedStrategy[] strategies) =>
        new("toy", "2-4-1", 0, 2, metric, strategies);

    /// <summary>A two-epoch, two-step strategy; a non-finite step loses its loss and norm from that step on.</summary>
    internal static ComparedStrategy Strategy(string name, int? firstNonFinite, double? loss, double? secondLoss)
    {
        EpochRow[] epochs = [new(1, loss, loss, Metrics(0.5, loss), 1, 1, 1, 0.25, 0), new(2, secondLoss, secondLoss, Metrics(0.75, secondLoss), 1, 1, 1, 0.25, 0)];
        StepRow[] steps = [Step(1, firstNonFinite is 1 ? null : 2.0), Step(2, firstNonFinite is 1 or 2 ? null : 1.0)];
        var summary = new RunSummary("built-in", 10, "regression", "2-4-1", 2, 2, 1, null,
            [new Verdict("Healthy", $"{name} is fine.", "Loss fell.", "Nothing to change.", null)],
            [KeyValuePair.Create("clip", name), KeyValuePair.Create("lr", "0.1")], 0.5);
        return new ComparedStrategy(new ComparisonRow(name, name.Replace(':', '-'), secondLoss, secondLoss, firstNonFinite is not null, firstNonFinite, 0.25, 1.5, 2)
            { FinalValMetric = secondLoss },
            new RunRecords(epochs, steps, summary));
    }

    /// <summary>An epoch's metrics: a validation accuracy and, standing in for a regression's, a validation RMSE.</summary>
    private static KeyValuePair<string, double?>[] Metrics(double accuracy, double? rmse) =>
        [KeyValuePair.Create("val_accuracy", (double?)accuracy), KeyValuePair.Create("val_rmse", rmse)];

    private static StepRow Step(int step, double? norm) => new(1, step, norm, norm, norm, false, false, []);

    private static IReadOnlyList<string> Texts(Plot plot) =>
        TrainedRun.SvgTexts(TrainedRun.Svg(plot.GetSvgXml(RunPlots.Width, RunPlots.Height)));
}
