using GradClip.Metrics;
using ScottPlot;
using ScottPlot.Palettes;

namespace GradClip.Cli.Report;

/// <summary>
/// The plots of a comparison: each strategy drawn in its own colour on the same axes, named in the legend. Values that cannot be
/// drawn (null, or zero on a log axis) are left out, and the title says how many.
/// </summary>
public static class ComparisonPlots
{
    private static readonly Category10 Palette = new();

    /// <summary>Renders the training loss, the validation metric, the gradient norm and the clip rate of every strategy.</summary>
    public static IReadOnlyList<RunPlot> Render(ComparisonRecords comparison) => RunPlots.RenderAll(
    [
        ("loss", TrainingLoss(comparison.Strategies)),
        (comparison.Metric, ValidationMetric(comparison)),
        ("grad_norm", GradientNorm(comparison.Strategies)),
        ("clip_rate", ClipRate(comparison.Strategies)),
    ]);

    /// <summary>Each strategy's training loss by epoch, on a log axis so that a loss that blows up leaves the others readable.</summary>
    public static Plot TrainingLoss(IReadOnlyList<ComparedStrategy> strategies) =>
        ByEpoch(strategies, e => e.TrainLoss, "Training loss", "Training loss by epoch", logAxis: true);

    /// <summary>Each strategy's headline metric by epoch: a percentage as such, any other figure on a log axis when lower is better (an error that blows up leaves the others readable).</summary>
    public static Plot ValidationMetric(ComparisonRecords comparison)
    {
        var headline = comparison.Headline;
        bool percent = headline.Format == MetricFormat.Percent;
        return ByEpoch(comparison.Strategies, e => e.Metric(headline.Name) * (percent ? 100 : 1), headline.Label + (percent ? " (%)" : ""),
            $"{headline.Label} by epoch", logAxis: !percent && !headline.HigherIsBetter);
    }

    /// <summary>
    /// Each strategy's total gradient norm before clipping by step, on a log axis, with a dashed line at the step where a strategy's
    /// loss or gradients first went non-finite.
    /// </summary>
    public static Plot GradientNorm(IReadOnlyList<ComparedStrategy> strategies)
    {
        var plot = RunPlots.NewPlot("Step", "Gradient norm before clipping (log scale)");
        int leftOut = 0;
        var logs = new List<double>();
        for (int i = 0; i < strategies.Count; i++)
        {
            var points = LogScale.Points(strategies[i].Run.Steps.Select(s => ((double)s.Step, s.NormBefore)));
            RunPlots.LogLine(plot, points.X, points.LogY, strategies[i].Row.Strategy, color: Palette.GetColor(i));
            if (points.X.Length == 0)
            {
                NothingDrawn(plot, strategies[i].Row.Strategy, Palette.GetColor(i));
            }
            leftOut += points.LeftOut;
            logs.AddRange(points.LogY);
        }
        RunPlots.FitLogAxis(plot, logs);
        for (int i = 0; i < strategies.Count; i++)
        {
            if (strategies[i].Row.FirstNonFiniteStep is { } step)
            {
                var line = plot.Add.VerticalLine(step, 1.5f, Palette.GetColor(i), LinePattern.Dashed);
                line.LegendText = $"{strategies[i].Row.Strategy}: first NaN/∞ at step {step}";
            }
        }
        RunPlots.SpanX(plot, strategies.SelectMany(s => s.Run.Steps.Select(step => step.Step)));
        plot.Title("Total gradient norm by step" + RunPlots.LeftOut(leftOut, "zero or non-finite"));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The share of each epoch's steps in which each strategy's clipping fired, in percent.</summary>
    public static Plot ClipRate(IReadOnlyList<ComparedStrategy> strategies)
    {
        var plot = ByEpoch(strategies, e => e.ClipRate * 100, "Steps clipped (%)", "Clip rate by epoch", logAxis: false);
        double top = Math.Max(1, 110 * strategies.SelectMany(s => s.Run.Epochs).Select(e => e.ClipRate ?? 0).DefaultIfEmpty().Max());
        plot.Axes.SetLimitsY(-0.03 * top, top);
        return plot;
    }

    /// <summary>A line per strategy through <paramref name="value"/> of each epoch, on a log axis when <paramref name="logAxis"/>.</summary>
    private static Plot ByEpoch(IReadOnlyList<ComparedStrategy> strategies, Func<EpochRow, double?> value, string yLabel, string title, bool logAxis)
    {
        Func<EpochRow, double?> drawn = logAxis ? e => LogScale.LogOrNaN(value(e)) : value;
        var plot = RunPlots.NewPlot("Epoch", logAxis ? yLabel + " (log scale)" : yLabel);
        int leftOut = 0;
        for (int i = 0; i < strategies.Count; i++)
        {
            var epochs = strategies[i].Run.Epochs;
            int missing = RunPlots.Line(plot, epochs.Select(e => ((double)e.Epoch, drawn(e))), strategies[i].Row.Strategy, Palette.GetColor(i));
            if (missing == epochs.Count)
            {
                NothingDrawn(plot, strategies[i].Row.Strategy, Palette.GetColor(i));
            }
            leftOut += missing;
        }
        var all = strategies.SelectMany(s => s.Run.Epochs).ToList();
        if (logAxis)
        {
            RunPlots.FitLogAxis(plot, all.Select(e => drawn(e) ?? double.NaN).Where(double.IsFinite).ToList());
        }
        else
        {
            plot.Axes.AutoScale();
        }
        RunPlots.SpanX(plot, all.Select(e => e.Epoch));
        plot.Title(title + RunPlots.LeftOut(leftOut, logAxis ? "zero or non-finite" : "non-finite"));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Names in the legend a strategy that has no value to draw, so that it is not missing from the plot without a word.</summary>
    private static void NothingDrawn(Plot plot, string strategy, Color color) =>
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{strategy}: no finite value", LineColor = color, LineWidth = 2, LinePattern = LinePattern.Dotted });
}
