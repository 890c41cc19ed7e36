using System.Text;
using GradClip.Cli.Common;
using GradClip.Metrics;
using static GradClip.Cli.Report.ReportPage;

namespace GradClip.Cli.Report;

/// <summary>
/// A comparison's report as one self-contained page, built like <see cref="ReportPage"/>: the comparison table, each strategy's
/// verdicts, the overlay plots as SVG data URIs and the configuration. Each strategy links to its own report in its folder.
/// </summary>
public static class ComparePage
{
    /// <summary>The page for <paramref name="comparison"/> with <paramref name="plots"/> (none: table and verdicts only).</summary>
    public static string Html(ComparisonRecords comparison, IReadOnlyList<RunPlot> plots)
    {
        var page = Begin($"GradClip comparison: {comparison.Strategies.Count} strategies on {comparison.Task}");
        Header(page, comparison, plots.Count > 0);
        StrategyTable(page, comparison);
        Verdicts(page, comparison.Strategies);
        Plots(page, plots);
        Configuration(page, Settings(comparison));
        return End(page, "comparison.json and each strategy's metrics.jsonl, steps.jsonl and summary.json");
    }

    /// <summary>The relative link from the comparison's page to a strategy's own report.</summary>
    public static string ReportLink(ComparedStrategy strategy) => Uri.EscapeDataString(strategy.Row.Folder) + "/" + RunReport.ReportFile;

    private static void Header(StringBuilder page, ComparisonRecords comparison, bool hasPlots)
    {
        page.Append("<header>\n<h1>GradClip comparison report</h1>\n<p class=\"lead\">")
            .Append(Integer(comparison.Strategies.Count)).Append(" clipping strategies on ").Append(Encode(comparison.Task))
            .Append(": a ").Append(Encode(comparison.Model)).Append(" network trained from the same initialization (seed ")
            .Append(Integer(comparison.Seed)).Append(") for ").Append(Integer(comparison.Epochs)).Append(" epochs under each.</p>\n<nav>")
            .Append("<a href=\"#strategies\">Strategies</a> <a href=\"#verdicts\">Verdicts</a> ")
            .Append(hasPlots ? "<a href=\"#plots\">Plots</a> " : "")
            .Append("<a href=\"#configuration\">Configuration</a></nav>\n</header>\n");
    }

    private static void StrategyTable(StringBuilder page, ComparisonRecords comparison)
    {
        var strategies = comparison.Strategies;
        var headline = comparison.Headline;
        var others = comparison.Metrics?.Metrics.Where(m => m != headline).ToList() ?? [];
        double? bestFinal = Best(strategies.Select(s => s.Row.FinalValMetric), headline.HigherIsBetter);
        double? bestMetric = Best(strategies.Select(s => s.Row.BestValMetric), headline.HigherIsBetter);
        double? bestLoss = Best(strategies.Select(s => s.Row.FinalLoss), higherIsBetter: false);
        page.Append("<section id=\"strategies\">\n<h2>Strategies</h2>\n<table class=\"strategies\">\n<thead><tr>")
            .Append("<th>Strategy</th><th>Final<br />train loss</th><th>Final<br />").Append(Encode(headline.Label.ToLowerInvariant()))
            .Append("</th><th>Best<br />").Append(Encode(headline.Label.ToLowerInvariant())).Append("</th>");
        foreach (var metric in others)
        {
            page.Append("<th title=\"").Append(Encode(metric.Meaning)).Append("\">Final<br />").Append(Encode(metric.Label.ToLowerInvariant())).Append("</th>");
        }
        page.Append("<th>Diverged</th><th>First NaN/∞<br />step</th><th>Clip rate</th><th>ms per<br />step</th><th>Steps</th></tr></thead>\n<tbody>\n");
        foreach (var s in strategies)
        {
            page.Append(s.Row.Diverged ? "<tr class=\"diverged\">" : "<tr>")
                .Append("<td><a href=\"").Append(Encode(ReportLink(s))).Append("\">").Append(Encode(s.Row.Strategy)).Append("</a></td>");
            Cell(page, Brief(s.Row.FinalLoss), s.Row.FinalLoss is { } loss && loss == bestLoss);
            Cell(page, MetricText.Of(headline, s.Row.FinalValMetric) + (s.Row.Collapsed ? " (collapsed)" : ""), s.Row.FinalValMetric is { } final && final == bestFinal);
            Cell(page, MetricText.Of(headline, s.Row.BestValMetric), s.Row.BestValMetric is { } metric && metric == bestMetric);
            foreach (var other in others)
            {
                Cell(page, MetricText.Of(other, s.Row.FinalMetrics.FirstOrDefault(f => f.Key == other.Name).Value), best: false);
            }
            Cell(page, s.Row.Diverged ? "yes" : "no", best: false);
            Cell(page, s.Row.FirstNonFiniteStep is { } step ? Integer(step) : "-", best: false);
            Cell(page, Percent(s.Row.ClipRate), best: false);
            Cell(page, Brief(s.Row.MsPerStep), best: false);
            Cell(page, Integer(s.Row.Steps), best: false);
            page.Append("</tr>\n");
        }
        string monitor = strategies.Select(s => s.Run.Summary.Options.FirstOrDefault(o => o.Key == "monitor").Value).FirstOrDefault(m => m is not null)
            ?? EpochMetric.ValidationLoss.Name;
        page.Append("</tbody>\n</table>\n<p class=\"note\">Final: the last epoch's figures; best: the best epoch's. Each strategy's saved model holds the weights of its epoch with the best ")
            .Append(Encode(monitor)).Append(" (the highlighted row of its own report), not necessarily those of its last epoch. ")
            .Append("Green: the best final training loss and the best final and best ").Append(Encode(headline.Label.ToLowerInvariant()))
            .Append(". Red rows: the run diverged (its loss or gradients went non-finite, or its gradients exploded past clipping). Collapsed: the run learned and lost it again. A dash: not recorded or not finite. ")
            .Append("Each strategy's name links to its own report.</p>\n</section>\n");
    }

    private static void Cell(StringBuilder page, string text, bool best) =>
        page.Append(best ? "<td class=\"best\" title=\"best\">" : "<td>").Append(Encode(text)).Append("</td>");

    private static double? Best(IEnumerable<double?> values, bool higherIsBetter)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : higherIsBetter ? known.Max() : known.Min();
    }

    private static void Verdicts(StringBuilder page, IReadOnlyList<ComparedStrategy> strategies)
    {
        page.Append("<section id=\"verdicts\">\n<h2>Health verdicts</h2>\n");
        foreach (var s in strategies)
        {
            page.Append("<div class=\"strategy\">\n<h3><a href=\"").Append(Encode(ReportLink(s))).Append("\">").Append(Encode(s.Row.Strategy)).Append("</a></h3>\n");
            if (s.Run.Summary.Verdicts.Count == 0)
            {
                page.Append("<p>The run recorded no verdict.</p>\n");
            }
            foreach (var verdict in s.Run.Summary.Verdicts)
            {
                VerdictCard(page, verdict, "h4");
            }
            page.Append("</div>\n");
        }
        page.Append("</section>\n");
    }

    /// <summary>The comparison's setup, then every training option that all strategies' runs share.</summary>
    private static List<KeyValuePair<string, string>> Settings(ComparisonRecords comparison)
    {
        var settings = new List<KeyValuePair<string, string>>
        {
            new("task", comparison.Task),
            new("model", comparison.Model),
            new("seed", Integer(comparison.Seed)),
            new("epochs", Integer(comparison.Epochs)),
            new("metric", comparison.Metric),
        };
        var runs = comparison.Strategies.Select(s => s.Run.Summary).ToList();
        settings.AddRange(runs[0].Options.Where(o => settings.All(s => s.Key != o.Key) && runs.All(r => r.Option(o.Key) == o.Value)));
        return settings;
    }
}
