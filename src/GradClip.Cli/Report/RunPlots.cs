using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Metrics;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace GradClip.Cli.Report;

/// <summary>
/// The plots of a training run, each a function of its records: loss, validation accuracy, the total gradient norm before and
/// after clipping, the clip rate, and each parameter's gradient norm. Values that cannot be drawn (null, or zero on a log axis)
/// are left out, and the title says how many.
/// </summary>
public static class RunPlots
{
    /// <summary>The images' width in pixels.</summary>
    public const int Width = 900;

    /// <summary>The images' height in pixels.</summary>
    public const int Height = 450;

    /// <summary>Above this many parameters, the per-parameter norms are a heat map rather than one line each.</summary>
    public const int MaxParameterLines = 12;

    /// <summary>Renders every plot that <paramref name="run"/> has data for.</summary>
    public static IReadOnlyList<RunPlot> Render(RunRecords run)
    {
        var plots = new (string Name, Plot? Plot)[]
        {
            ("loss", Loss(run.Epochs)),
            Headline(run.Epochs),
            ("grad_norm", GradientNorm(run.Steps, run.Summary.MaxNormLine)),
            ("clip_rate", ClipRate(run.Epochs)),
            ("param_norms", ParameterNorms(run.Steps)),
        };
        return RenderAll(plots);
    }

    /// <summary>Renders each plot that is not null as PNG and SVG under its name, and disposes of it.</summary>
    internal static IReadOnlyList<RunPlot> RenderAll(IEnumerable<(string Name, Plot? Plot)> plots)
    {
        var rendered = new List<RunPlot>();
        foreach (var (name, plot) in plots)
        {
            if (plot is not null)
            {
                using (plot)
                {
                    rendered.Add(new RunPlot(name, plot.Axes.Title.Label.Text, plot.GetImageBytes(Width, Height, ImageFormat.Png), plot.GetSvgXml(Width, Height)));
                }
            }
        }
        return rendered;
    }

    /// <summary>Training and validation loss by epoch.</summary>
    public static Plot Loss(IReadOnlyList<EpochRow> epochs)
    {
        var plot = NewPlot("Epoch", "Loss");
        int leftOut = Line(plot, epochs.Select(e => ((double)e.Epoch, e.TrainLoss)), "train loss");
        leftOut += Line(plot, epochs.Select(e => ((double)e.Epoch, e.ValLoss)), "validation loss");
        plot.Axes.AutoScale();
        SpanX(plot, epochs.Select(e => e.Epoch));
        plot.Title("Loss by epoch" + LeftOut(leftOut, "non-finite"));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// The run's headline metric by epoch (its task's <see cref="TaskMetrics.Headline"/>), beside the declared metrics of the
    /// same kind (training accuracy beside validation accuracy), named after the headline; no plot when the run reports none.
    /// </summary>
    public static (string Name, Plot? Plot) Headline(IReadOnlyList<EpochRow> epochs)
    {
        var names = epochs.Count > 0 ? epochs[0].Metrics.Select(m => m.Key).ToList() : [];
        if (TaskMetrics.Declaring(names) is not { } task || !names.Contains(task.Headline.Name))
        {
            return ("metric", null);
        }
        var headline = task.Headline;
        double scale = headline.Format == MetricFormat.Percent ? 100 : 1;
        string axis = headline.Label[(headline.Label.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        axis = char.ToUpperInvariant(axis[0]) + axis[1..];
        var plot = NewPlot("Epoch", headline.Format == MetricFormat.Percent ? $"{axis} (%)" : axis);
        int leftOut = 0;
        foreach (var metric in task.Metrics.Where(m => m == headline || (Kind(m) == Kind(headline) && names.Contains(m.Name))))
        {
            leftOut += Line(plot, epochs.Select(e => ((double)e.Epoch, e.Metric(metric.Name) * scale)), metric.Label);
        }
        plot.Axes.AutoScale();
        SpanX(plot, epochs.Select(e => e.Epoch));
        plot.Title($"{headline.Label} by epoch" + LeftOut(leftOut, "non-finite"));
        plot.ShowLegend(headline.HigherIsBetter ? Alignment.LowerRight : Alignment.UpperRight);
        return (headline.Name, plot);
    }

    /// <summary>What a metric measures, without the rows it is measured on: <c>accuracy</c> for both <c>val_accuracy</c> and <c>train_accuracy</c>.</summary>
    private static string Kind(EpochMetric metric) =>
        metric.Name[(metric.Name.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>
    /// The total gradient norm of every step before and after clipping on a log axis, the clipped steps marked, and the
    /// max_norm line when <paramref name="maxNorm"/> is given (clipping by norm).
    /// </summary>
    public static Plot GradientNorm(IReadOnlyList<StepRow> steps, double? maxNorm)
    {
        if (maxNorm is { } given && !(double.IsFinite(given) && given > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), "Must be finite and greater than zero, or null.");
        }
        var plot = NewPlot("Step", "Gradient norm (log scale)");
        var before = LogScale.Points(steps.Select(s => ((double)s.Step, s.NormBefore)));
        var after = LogScale.Points(steps.Select(s => ((double)s.Step, s.NormAfter)));
        var clipped = LogScale.Points(steps.Where(s => s.Clipped).Select(s => ((double)s.Step, s.NormBefore)));
        LogLine(plot, before.X, before.LogY, "before clipping", width: 2.5f);
        LogLine(plot, after.X, after.LogY, "after clipping");
        if (clipped.X.Length > 0)
        {
            var marks = plot.Add.Markers(clipped.X, clipped.LogY, MarkerShape.OpenCircle, 6, Colors.Red);
            marks.LegendText = "clipped step";
        }
        var logs = before.LogY.Concat(after.LogY).ToList();
        if (maxNorm is { } limit)
        {
            var line = plot.Add.HorizontalLine(Math.Log10(limit), 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = "max_norm " + NumberText.Short(limit);
            logs.Add(Math.Log10(limit));
        }
        FitLogAxis(plot, logs);
        SpanX(plot, steps.Select(s => s.Step));
        plot.Title("Total gradient norm by step" + LeftOut(before.LeftOut + after.LeftOut, "zero or non-finite"));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>The share of each epoch's steps in which clipping fired, in percent.</summary>
    public static Plot ClipRate(IReadOnlyList<EpochRow> epochs)
    {
        var plot = NewPlot("Epoch", "Steps clipped (%)");
        var known = epochs.Where(e => e.ClipRate is { } r && double.IsFinite(r)).ToList();
        var bars = plot.Add.Bars(known.Select(e => (double)e.Epoch), known.Select(e => 100 * e.ClipRate!.Value));
        bars.LegendText = "clip rate";
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, Math.Max(1, known.Select(e => 100 * e.ClipRate!.Value).DefaultIfEmpty().Max() * 1.15));
        SpanX(plot, epochs.Select(e => e.Epoch));
        plot.Title("Clip rate by epoch" + LeftOut(epochs.Count - known.Count, "missing"));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Each parameter's gradient norm (before clipping) by step on a log scale: one line per parameter, or a heat map of
    /// log10 norms when there are more than <see cref="MaxParameterLines"/>; null when the steps recorded no parameter norms.
    /// </summary>
    public static Plot? ParameterNorms(IReadOnlyList<StepRow> steps)
    {
        var names = steps.SelectMany(s => s.ParameterNorms.Select(p => p.Key)).Distinct().ToList();
        return names.Count == 0 ? null
            : names.Count <= MaxParameterLines ? ParameterLines(steps, names)
            : ParameterHeatMap(steps, names);
    }

    private static Plot ParameterLines(IReadOnlyList<StepRow> steps, IReadOnlyList<string> names)
    {
        var plot = NewPlot("Step", "Gradient norm (log scale)");
        int leftOut = 0;
        var logs = new List<double>();
        foreach (string name in names)
        {
            var points = LogScale.Points(steps.Select(s => ((double)s.Step, Norm(s, name))));
            LogLine(plot, points.X, points.LogY, name);
            leftOut += points.LeftOut;
            logs.AddRange(points.LogY);
        }
        FitLogAxis(plot, logs);
        SpanX(plot, steps.Select(s => s.Step));
        plot.Title("Gradient norm per parameter by step" + LeftOut(leftOut, "zero or non-finite"));
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static Plot ParameterHeatMap(IReadOnlyList<StepRow> steps, IReadOnlyList<string> names)
    {
        var plot = NewPlot("Step", "Parameter");
        // By row index, not by looking each name up in each step: a heat map has many parameters.
        var rows = names.Select((name, row) => (name, row)).ToDictionary(p => p.name, p => p.row, StringComparer.Ordinal);
        var cells = new double[names.Count, steps.Count];
        for (int column = 0; column < steps.Count; column++)
        {
            for (int row = 0; row < names.Count; row++)
            {
                cells[row, column] = double.NaN;
            }
            foreach (var (name, norm) in steps[column].ParameterNorms)
            {
                cells[rows[name], column] = LogScale.LogOrNaN(norm);
            }
        }
        var map = plot.Add.Heatmap(cells);
        map.Extent = new CoordinateRect(steps[0].Step - 0.5, steps[^1].Step + 0.5, -0.5, names.Count - 0.5);
        plot.Add.ColorBar(map).Label = "log10 gradient norm";
        // Row 0 of the cells is drawn at the top, so the first parameter's tick is the highest.
        plot.Axes.Left.TickGenerator = new NumericManual(
            Enumerable.Range(0, names.Count).Select(row => (double)(names.Count - 1 - row)).ToArray(), names.ToArray());
        plot.Axes.AutoScale();
        int blank = cells.Cast<double>().Count(double.IsNaN);
        plot.Title("Gradient norm per parameter by step" + LeftOut(blank, "zero or non-finite", "left blank"));
        return plot;
    }

    /// <summary>An empty plot with integer ticks along x (an epoch or a step) and the axes labelled.</summary>
    internal static Plot NewPlot(string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true }; // x is always an epoch or a step
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Adds a line with markers through the points that have a finite value; returns how many did not.</summary>
    internal static int Line(Plot plot, IEnumerable<(double X, double? Y)> points, string legend, Color? color = null)
    {
        var all = points.ToList();
        var drawn = all.Where(p => p.Y is { } y && double.IsFinite(y)).ToList();
        if (drawn.Count > 0)
        {
            var line = plot.Add.Scatter(drawn.Select(p => p.X).ToArray(), drawn.Select(p => p.Y!.Value).ToArray());
            line.LegendText = legend;
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.Color = color ?? line.Color;
        }
        return all.Count - drawn.Count;
    }

    /// <summary>Adds a line through points already on the log axis (x, log10 value).</summary>
    internal static void LogLine(Plot plot, double[] xs, double[] logs, string legend, float width = 1.5f, Color? color = null)
    {
        if (xs.Length > 0)
        {
            var line = plot.Add.ScatterLine(xs, logs);
            line.LegendText = legend;
            line.LineWidth = width;
            line.Color = color ?? line.Color;
        }
    }

    /// <summary>Shows every epoch or step along x, even those where nothing could be drawn.</summary>
    internal static void SpanX(Plot plot, IEnumerable<int> positions)
    {
        var all = positions.ToList();
        if (all.Count > 0)
        {
            double margin = Math.Max(0.02 * (all.Max() - all.Min()), 0.5);
            plot.Axes.SetLimitsX(all.Min() - margin, all.Max() + margin);
        }
    }

    /// <summary>Fits the log axis to the logs drawn, when there are any.</summary>
    internal static void FitLogAxis(Plot plot, IReadOnlyList<double> logs)
    {
        if (logs.Count > 0)
        {
            LogScale.Apply(plot, logs.Min(), logs.Max());
        }
    }

    private static double? Norm(StepRow step, string name) =>
        step.ParameterNorms.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>The title's note of how many values could not be drawn; empty when none.</summary>
    internal static string LeftOut(int count, string what, string how = "left out") =>
        count == 0 ? "" : $" ({count.ToString(CultureInfo.InvariantCulture)} {what} {(count == 1 ? "value" : "values")} {how})";
}
