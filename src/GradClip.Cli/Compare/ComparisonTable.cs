using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Metrics;
using Spectre.Console;

namespace GradClip.Cli.Compare;

/// <summary>The comparison as one terminal table: a row per strategy, the best headline figure in bold, diverged runs in red.</summary>
public static class ComparisonTable
{
    /// <summary>The table of <paramref name="outcomes"/>, with the final and best headline figure and the final value of every other metric the task declares.</summary>
    public static Table Of(IReadOnlyList<ComparisonRow> outcomes, TaskMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var headline = metrics.Headline;
        var others = metrics.Metrics.Where(m => m != headline).ToList();
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Strategy")
            .AddColumn(new TableColumn("Final loss").RightAligned())
            .AddColumn(new TableColumn($"Final {headline.Label.ToLowerInvariant()}").RightAligned())
            .AddColumn(new TableColumn($"Best {headline.Label.ToLowerInvariant()}").RightAligned());
        foreach (var metric in others)
        {
            table.AddColumn(new TableColumn($"Final {metric.Label.ToLowerInvariant()}").RightAligned());
        }
        table.AddColumn("Diverged")
            .AddColumn(new TableColumn("First NaN/∞ step").RightAligned())
            .AddColumn(new TableColumn("Clipped").RightAligned())
            .AddColumn(new TableColumn("ms/step").RightAligned());
        var values = outcomes.Select(o => o.BestValMetric).OfType<double>().ToList();
        double? best = values.Count == 0 ? null : headline.HigherIsBetter ? values.Max() : values.Min();
        foreach (var o in outcomes)
        {
            string bestText = MetricText.Of(headline, o.BestValMetric);
            table.AddRow([
                Markup.Escape(o.Strategy),
                o.FinalLoss is { } loss ? NumberText.Short(loss) : "[red]NaN/∞[/]",
                MetricText.Of(headline, o.FinalValMetric) + (o.Collapsed ? " [red](collapsed)[/]" : ""),
                o.BestValMetric == best && best is not null ? $"[bold green]{bestText}[/]" : bestText,
                .. others.Select(m => MetricText.Of(m, o.FinalMetrics.FirstOrDefault(f => f.Key == m.Name).Value)),
                o.Diverged ? "[red bold]yes[/]" : "no",
                o.FirstNonFiniteStep?.ToString(CultureInfo.InvariantCulture) ?? "-",
                NumberText.Percent(o.ClipRate),
                NumberText.Short(o.MsPerStep),
            ]);
        }
        return table;
    }
}
