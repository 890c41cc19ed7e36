using GradClip.Cli.Report;
using GradClip.Diagnosis;
using ScottPlot;

namespace GradClip.Cli.Diagnose;

/// <summary>
/// The plots of a diagnosed log, drawn with the run report's plotting: training loss and total gradient norm by step, and
/// per-layer norms when logged. A long trace is thinned to <see cref="MaxPoints"/> rows, each the largest norm of its
/// stretch of steps, so that spikes stay visible and a million steps still make a small picture.
/// </summary>
public static class TracePlots
{
    /// <summary>The most rows a plot draws.</summary>
    public const int MaxPoints = 5000;

    /// <summary>Renders the plots the trace has data for.</summary>
    public static IReadOnlyList<RunPlot> Render(RunTrace trace)
    {
        var rows = Rows(trace);
        var plots = new List<(string, Plot?)> { ("loss", trace.Loss.LoggedCount > 0 ? Loss(rows) : null) };
        if (trace.NormBefore.LoggedCount > 0)
        {
            double? maxNorm = trace.Setup.Clipping == ClippingKind.Norm && trace.Setup.MaxNorm is { } m && m > 0 ? m : null;
            plots.Add(("grad_norm", RunPlots.GradientNorm(rows, maxNorm)));
            plots.Add(("param_norms", RunPlots.ParameterNorms(rows)));
        }
        return RunPlots.RenderAll(plots);
    }

    /// <summary>The trace as the run report's step rows, thinned to at most <see cref="MaxPoints"/>.</summary>
    public static IReadOnlyList<StepRow> Rows(RunTrace trace)
    {
        int stride = Math.Max(1, (trace.Count + MaxPoints - 1) / MaxPoints);
        var rows = new List<StepRow>(Math.Min(trace.Count, MaxPoints));
        var norms = trace.NormBefore.Values;
        for (int start = 0; start < trace.Count; start += stride)
        {
            int end = Math.Min(trace.Count, start + stride);
            int pick = start;
            for (int row = start + 1; row < end; row++)
            {
                if (norms[row] > norms[pick] || double.IsNaN(norms[pick]) && trace.NormBefore.IsLogged(row))
                {
                    pick = row;
                }
            }
            rows.Add(Row(trace, pick));
        }
        return rows;
    }

    private static StepRow Row(RunTrace trace, int row) => new(
        (int)Math.Ceiling(trace.Epoch[row] ?? 0),
        trace.Steps[row],
        trace.Loss[row],
        trace.NormBefore[row],
        trace.NormAfter[row],
        trace.Clipped[row] == 1,
        false,
        [.. trace.LayerNorms.Select(layer => KeyValuePair.Create(layer.Name, layer[row]))]);

    private static Plot Loss(IReadOnlyList<StepRow> rows)
    {
        var plot = RunPlots.NewPlot("Step", "Training loss");
        int leftOut = RunPlots.Line(plot, rows.Select(r => ((double)r.Step, r.Loss is { } l && double.IsFinite(l) ? l : (double?)null)), "training loss");
        plot.Axes.AutoScale();
        RunPlots.SpanX(plot, rows.Select(r => r.Step));
        plot.Title("Training loss by step" + RunPlots.LeftOut(leftOut, "non-finite"));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
