using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using Spectre.Console;

namespace GradClip.Cli.Compare;

/// <summary>The comparison as one terminal table: a row per strategy, the best validation figure in bold, diverged runs in red.</summary>
public static class ComparisonTable
{
    /// <summary>The table of <paramref name="outcomes"/>; the metric column is accuracy for classification, loss for regression.</summary>
    public static Table Of(IReadOnlyList<ComparisonRow> outcomes, bool classification)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Strategy")
            .AddColumn(new TableColumn("Final loss").RightAligned())
            .AddColumn(new TableColumn(classification ? "Final val accuracy" : "Final val loss").RightAligned())
            .AddColumn(new TableColumn(classification ? "Best val accuracy" : "Best val loss").RightAligned())
            .AddColumn("Diverged")
            .AddColumn(new TableColumn("First NaN/∞ step").RightAligned())
            .AddColumn(new TableColumn("Clipped").RightAligned())
            .AddColumn(new TableColumn("ms/step").RightAligned());
        var metrics = outcomes.Select(o => o.BestValMetric).OfType<double>().ToList();
        double? best = metrics.Count == 0 ? null : classification ? metrics.Max() : metrics.Min();
        foreach (var o in outcomes)
        {
            string metric = o.BestValMetric is { } m ? (classification ? NumberText.Percent(m) : NumberText.Short(m)) : "-";
            table.AddRow(
                Markup.Escape(o.Strategy),
                o.FinalLoss is { } loss ? NumberText.Short(loss) : "[red]NaN/∞[/]",
                o.FinalValMetric is { } final ? (classification ? NumberText.Percent(final) : NumberText.Short(final)) + (o.Collapsed ? " [red](collapsed)[/]" : "") : "-",
                o.BestValMetric == best && best is not null ? $"[bold green]{metric}[/]" : metric,
                o.Diverged ? "[red bold]yes[/]" : "no",
                o.FirstNonFiniteStep?.ToString(CultureInfo.InvariantCulture) ?? "-",
                NumberText.Percent(o.ClipRate),
                NumberText.Short(o.MsPerStep));
        }
        return table;
    }
}
