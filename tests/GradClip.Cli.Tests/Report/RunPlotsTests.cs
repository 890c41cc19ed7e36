using GradClip.Cli.Report;
using ScottPlot;

namespace GradClip.Cli.Tests.Report;

public sealed class RunPlotsTests
{
    [Fact]
    public void Renders_the_five_plots_of_a_classification_run_as_png_and_svg()
    {
        var run = new RunRecords([Epoch(1, 0.5, 0.9), Epoch(2, 0.25, 0.95)], [Step(1, 2, 1, true, ("w", 1.5)), Step(2, 0.5, 0.5, false, ("w", 0.4))], Summary());

        var plots = RunPlots.Render(run);

        Assert.Equal(["loss", "val_accuracy", "grad_norm", "clip_rate", "param_norms"], plots.Select(p => p.Name));
        Assert.All(plots, p => Assert.Equal((RunPlots.Width, RunPlots.Height), TrainedRun.PngSize(p.Png)));
        Assert.All(plots, p => Assert.Contains(p.Title, TrainedRun.SvgTexts(TrainedRun.Svg(p.Svg))));
    }

    [Fact]
    public void The_headline_plot_is_left_out_when_the_run_reports_no_metric_and_named_after_the_headline_otherwise()
    {
        Assert.Null(RunPlots.Headline([Epoch(1, 0.5, null), Epoch(2, 0.4, null)]).Plot);
        var (name, plot) = RunPlots.Headline([Epoch(1, 0.5, 0.6), Epoch(2, 0.4, 0.7)]);
        using (plot)
        {
            Assert.Equal("val_accuracy", name);
            Assert.Equal([60.0, 70.0], plot!.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints().Select(p => Math.Round(p.Y, 9)));
        }
    }

    [Fact]
    public void Loss_leaves_out_non_finite_epochs_and_says_how_many()
    {
        using var plot = RunPlots.Loss([Epoch(1, 0.5, 0.9), Epoch(2, 0.4, 0.9) with { TrainLoss = null }, Epoch(3, 0.3, 0.9)]);

        var texts = Texts(plot);
        Assert.Contains("Loss by epoch (1 non-finite value left out)", texts);
        Assert.Contains("train loss", texts);
        Assert.Contains("validation loss", texts);
    }

    [Fact]
    public void A_loss_that_never_was_finite_still_spans_the_epochs_and_says_why_it_is_empty()
    {
        using var plot = RunPlots.Loss([Epoch(1, null, 0.3), Epoch(2, null, 0.3), Epoch(3, null, 0.3)]);

        Assert.Contains("Loss by epoch (6 non-finite values left out)", Texts(plot));
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Left < 1 && limits.Left > 0 && limits.Right > 3 && limits.Right < 4, $"{limits.Left}..{limits.Right}");
    }

    [Fact]
    public void Gradient_norm_leaves_zero_and_non_finite_norms_off_the_log_axis_and_says_so()
    {
        StepRow[] steps = [Step(1, 2, 1, true), Step(2, 0, 0, false), Step(3, null, null, false), Step(4, 0.5, 0.5, false)];

        using var plot = RunPlots.GradientNorm(steps, maxNorm: 1);

        var texts = Texts(plot);
        Assert.Contains("Total gradient norm by step (4 zero or non-finite values left out)", texts);
        Assert.Contains("max_norm 1", texts);
        Assert.Contains("clipped step", texts);
        Assert.Subset(texts.ToHashSet(), new HashSet<string> { "0.5", "1", "2" });
        var limits = plot.Axes.GetLimits();
        Assert.True(limits.Bottom < Math.Log10(0.5) && limits.Top > Math.Log10(2), $"{limits.Bottom}..{limits.Top}");
        Assert.True(limits.Left < 1 && limits.Right > 4, $"{limits.Left}..{limits.Right}: every step should be on the x axis.");
    }

    [Fact]
    public void Gradient_norm_has_no_max_norm_line_or_marks_when_nothing_asks_for_them()
    {
        using var plot = RunPlots.GradientNorm([Step(1, 2, 2, false), Step(2, 3, 3, false)], maxNorm: null);

        var texts = Texts(plot);
        Assert.DoesNotContain(texts, t => t.StartsWith("max_norm", StringComparison.Ordinal));
        Assert.DoesNotContain("clipped step", texts);
        Assert.Contains("Total gradient norm by step", texts);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Gradient_norm_refuses_a_max_norm_line_that_a_log_axis_cannot_show(double maxNorm)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RunPlots.GradientNorm([Step(1, 1, 1, false)], maxNorm));
    }

    [Fact]
    public void Clip_rate_is_a_bar_per_epoch_in_percent()
    {
        using var plot = RunPlots.ClipRate([Epoch(1, 1, 1, clipRate: 0.25), Epoch(2, 1, 1, clipRate: null), Epoch(3, 1, 1, clipRate: 0.5)]);

        var bars = Assert.IsType<ScottPlot.Plottables.BarPlot>(Assert.Single(plot.GetPlottables()));
        Assert.Equal([(1.0, 25.0), (3.0, 50.0)], bars.Bars.Select(b => (b.Position, b.Value)));
        Assert.Contains("Clip rate by epoch (1 missing value left out)", Texts(plot));
    }

    [Fact]
    public void Up_to_twelve_parameters_get_a_line_each_named_in_the_legend()
    {
        string[] names = Enumerable.Range(0, RunPlots.MaxParameterLines).Select(i => $"layer{i}.weight").ToArray();

        using var plot = RunPlots.ParameterNorms([Step(1, 1, 1, false, [.. names.Select(n => (n, (double?)0.1))]), Step(2, 1, 1, false, [.. names.Select(n => (n, (double?)0.2))])])!;

        Assert.Equal(names.Length, plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Count());
        Assert.Subset(Texts(plot).ToHashSet(), names.ToHashSet());
    }

    [Fact]
    public void More_than_twelve_parameters_make_a_heat_map_with_non_finite_cells_left_blank()
    {
        string[] names = Enumerable.Range(0, RunPlots.MaxParameterLines + 1).Select(i => $"p{i}").ToArray();
        var first = names.Select(n => (n, (double?)(n == "p3" ? null : 0.1))).ToArray();
        var second = names.Select(n => (n, (double?)0.2)).ToArray();

        using var plot = RunPlots.ParameterNorms([Step(1, 1, 1, false, first), Step(2, 1, 1, false, second)])!;

        var map = Assert.IsType<ScottPlot.Plottables.Heatmap>(Assert.Single(plot.GetPlottables()));
        Assert.Equal((names.Length, 2), (map.Intensities.GetLength(0), map.Intensities.GetLength(1)));
        Assert.True(double.IsNaN(map.Intensities[3, 0]));
        Assert.Equal(Math.Log10(0.2), map.Intensities[0, 1], 12);
        var texts = Texts(plot);
        Assert.Contains("Gradient norm per parameter by step (1 zero or non-finite value left blank)", texts);
        Assert.Contains("log10 gradient norm", texts);
        Assert.Subset(texts.ToHashSet(), names.ToHashSet());
    }

    [Fact]
    public void A_run_without_parameter_norms_has_no_parameter_plot()
    {
        Assert.Null(RunPlots.ParameterNorms([Step(1, 1, 1, false)]));
    }

    private static IReadOnlyList<string> Texts(Plot plot) =>
        TrainedRun.SvgTexts(TrainedRun.Svg(plot.GetSvgXml(RunPlots.Width, RunPlots.Height)));

    private static EpochRow Epoch(int epoch, double? loss, double? accuracy, double? clipRate = 0.1) =>
        new(epoch, loss, loss, accuracy is null ? [] : [KeyValuePair.Create("val_accuracy", accuracy)], 1, 2, 1, clipRate, 0);

    private static StepRow Step(int step, double? before, double? after, bool clipped, params (string Name, double? Norm)[] parameters) =>
        new(1, step, 1, before, after, clipped, false, parameters.Select(p => KeyValuePair.Create(p.Name, p.Norm)).ToList());

    private static RunSummary Summary() =>
        new("built-in", 10, "classification", "2-4-3", 2, 2, 2, null, [], [KeyValuePair.Create("clip", "norm"), KeyValuePair.Create("max_norm", "1")], 1);
}
