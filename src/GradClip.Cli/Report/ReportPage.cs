using System.Globalization;
using System.Net;
using System.Text;
using GradClip.Cli.Common;
using GradClip.Metrics;

namespace GradClip.Cli.Report;

/// <summary>
/// The run's report as one self-contained page: the summary, the health verdicts, the per-epoch table, the plots as SVG data
/// URIs and the configuration. Written as XHTML (every element closed, text HTML-encoded) so that it also parses as XML; a
/// content security policy forbids anything but its own style and data: images, so it never touches the network.
/// </summary>
public static class ReportPage
{
    /// <summary>The page for <paramref name="run"/> with <paramref name="plots"/> (none: table and verdicts only).</summary>
    public static string Html(RunRecords run, IReadOnlyList<RunPlot> plots)
    {
        var summary = run.Summary;
        var page = Begin($"GradClip run: {summary.Model} on {summary.Data}");
        Header(page, summary, plots.Count > 0);
        if (run.WriterProcess is { } writer)
        {
            page.Append("<p class=\"stop\" id=\"progress\"><strong>In progress:</strong> process ").Append(Integer(writer))
                .Append(" is still training this run. This report shows the ").Append(Integer(run.Epochs.Count))
                .Append(" epochs its last checkpoint covers; the verdicts come when it ends.</p>\n");
        }
        if (run.Interrupted)
        {
            page.Append("<p class=\"stop\" id=\"interrupted\"><strong>Interrupted:</strong> the run stopped before it finished. This report shows the ")
                .Append(Integer(run.Epochs.Count)).Append(" epochs its last checkpoint covers; <code>gradclip train --resume</code> on its folder continues it.</p>\n");
        }
        if (summary.ResumedFrom is { } resumed)
        {
            page.Append("<p class=\"note\" id=\"resumed\">Resumed from the checkpoint after step ").Append(Integer(resumed.Step)).Append(" (epoch ")
                .Append(Integer(resumed.Epoch)).Append("): the records before it come from the earlier part of the run, and the time is this part's.</p>\n");
        }
        Verdicts(page, summary);
        if (run.Sample is { } sample)
        {
            Sample(page, sample);
        }
        EpochTable(page, run.Epochs, summary.BestEpoch);
        summary.Confusion?.Html(page);
        Plots(page, plots);
        Configuration(page, summary.Options);
        return End(page, "metrics.jsonl, steps.jsonl and summary.json");
    }

    /// <summary>A language model's section: its perplexity against the unigram baseline, and the text it generated after a prompt.</summary>
    private static void Sample(StringBuilder page, Tasks.TextSample sample) =>
        page.Append("<section id=\"sample\">\n<h2>What the language model learned</h2>\n<p>")
            .Append(Encode(char.ToUpperInvariant(sample.Comparison()[0]) + sample.Comparison()[1..])).Append(". Perplexity is e to the validation loss: ")
            .Append("the number of characters the model hesitates between on average.</p>\n<p>Generated after the prompt (the prompt in bold):</p>\n<pre class=\"sample\"><strong>")
            .Append(Encode(sample.Prompt)).Append("</strong>").Append(Encode(sample.Text)).Append("</pre>\n</section>\n");

    /// <summary>A new page up to its content: the head with <paramref name="title"/>, the security policy and the style.</summary>
    internal static StringBuilder Begin(string title) =>
        new StringBuilder().Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
            .Append("<meta charset=\"utf-8\" />\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");

    /// <summary>Closes the page with a footer saying it was written from <paramref name="sources"/>; returns the whole page.</summary>
    internal static string End(StringBuilder page, string sources) =>
        page.Append("<footer>Written by <code>gradclip report</code> from ").Append(Encode(sources)).Append(".</footer>\n")
            .Append("</main>\n</body>\n</html>\n").ToString();

    private static void Header(StringBuilder page, RunSummary summary, bool hasPlots)
    {
        page.Append("<header>\n<h1>GradClip run report</h1>\n<p class=\"lead\">A ").Append(Encode(summary.Model))
            .Append(" network, ").Append(Encode(summary.Task)).Append(" on ").Append(Encode(summary.Data)).Append(" (")
            .Append(Integer(summary.Rows)).Append(summary.Task == TaskMetrics.Reinforcement.Task ? " episodes): " : " rows): ").Append(Integer(summary.EpochsRun)).Append(" epochs, ")
            .Append(Integer(summary.Steps)).Append(" steps in ").Append(summary.Seconds.ToString("0.###", CultureInfo.InvariantCulture))
            .Append(summary.BestEpoch > 0 ? $" s; weights kept from epoch {Integer(summary.BestEpoch)}." : " s; no epoch ended with a finite validation loss and finite weights, so no model was saved.")
            .Append("</p>\n<nav>")
            .Append("<a href=\"#verdicts\">Verdicts</a> <a href=\"#epochs\">Epochs</a> ")
            .Append(hasPlots ? "<a href=\"#plots\">Plots</a> " : "")
            .Append("<a href=\"#configuration\">Configuration</a></nav>\n</header>\n");
        if (summary.StopReason is { } reason)
        {
            page.Append("<p class=\"stop\" id=\"stop\"><strong>Training stopped early:</strong> ").Append(Encode(reason)).Append("</p>\n");
        }
    }

    private static void Verdicts(StringBuilder page, RunSummary summary)
    {
        page.Append("<section id=\"verdicts\">\n<h2>Health verdicts</h2>\n");
        if (summary.Verdicts.Count == 0)
        {
            page.Append("<p>The run recorded no verdict.</p>\n");
        }
        foreach (var verdict in summary.Verdicts)
        {
            VerdictCard(page, verdict, "h3");
        }
        page.Append("</section>\n");
    }

    /// <summary>One verdict as a card: its summary as a heading (<paramref name="heading"/>, e.g. h3), its kind, evidence and suggestion.</summary>
    internal static void VerdictCard(StringBuilder page, Verdict verdict, string heading)
    {
        page.Append("<div class=\"verdict ").Append(Verdict.Colour(verdict.Kind, verdict.Severity)).Append("\">\n<").Append(heading).Append('>')
            .Append(Encode(verdict.Summary)).Append("</").Append(heading).Append(">\n<dl>\n<dt>Kind</dt><dd>").Append(Encode(verdict.Kind)).Append(" (").Append(Encode(verdict.Severity)).Append(")</dd>\n")
            .Append("<dt>Evidence</dt><dd>").Append(Encode(verdict.Evidence)).Append("</dd>\n")
            .Append("<dt>Suggestion</dt><dd>").Append(Encode(verdict.Suggestion)).Append("</dd>\n");
        if (verdict.FirstStep is { } step)
        {
            page.Append("<dt>First step</dt><dd>").Append(Integer(step)).Append("</dd>\n");
        }
        page.Append("</dl>\n</div>\n");
    }

    private static void EpochTable(StringBuilder page, IReadOnlyList<EpochRow> epochs, int bestEpoch)
    {
        page.Append("<section id=\"epochs\">\n<h2>Epochs</h2>\n<table class=\"epochs\">\n<thead><tr>")
            .Append("<th>Epoch</th><th>Grad norm before<br />mean / max</th><th>Grad norm<br />after (mean)</th><th>Clipped</th>")
            .Append(HasValidation(epochs) ? "<th>Train loss</th><th>Val loss</th>" : "<th>Train loss</th>");
        var metrics = Metrics(epochs);
        foreach (var metric in metrics)
        {
            page.Append("<th title=\"").Append(Encode(metric.Meaning)).Append("\">").Append(Encode(metric.Label)).Append("</th>");
        }
        page.Append("</tr></thead>\n<tbody>\n");
        foreach (var e in epochs)
        {
            page.Append(e.Epoch == bestEpoch ? "<tr class=\"best\" title=\"weights kept\">" : "<tr>");
            foreach (string cell in Cells(e, metrics, HasValidation(epochs)))
            {
                page.Append("<td>").Append(Encode(cell)).Append("</td>");
            }
            page.Append("</tr>\n");
        }
        page.Append("</tbody>\n</table>\n<p class=\"note\">The highlighted row is the epoch whose weights were kept. A dash: not recorded or not finite.");
        foreach (var metric in metrics)
        {
            page.Append(' ').Append(Encode($"{metric.Label}: {metric.Meaning}."));
        }
        page.Append("</p>\n</section>\n");
    }

    /// <summary>Whether any epoch has a validation loss: a run without validation rows (an agent's) gets no column of dashes for it.</summary>
    private static bool HasValidation(IReadOnlyList<EpochRow> epochs) => epochs.Count == 0 || epochs.Any(e => e.ValLoss is not null);

    /// <summary>The declared metrics the run's epochs report, in the first epoch's order.</summary>
    internal static IReadOnlyList<EpochMetric> Metrics(IReadOnlyList<EpochRow> epochs) =>
        MetricText.Declared(epochs.Count > 0 ? epochs[0].Metrics.Select(m => m.Key) : []);

    /// <summary>
    /// One table row's cells, formatted as the terminal table formats them, with a cell per metric of <paramref name="metrics"/>
    /// and one for the validation loss when the run has <paramref name="validation"/>.
    /// </summary>
    internal static IReadOnlyList<string> Cells(EpochRow e, IReadOnlyList<EpochMetric> metrics, bool validation = true) =>
    [
        Integer(e.Epoch),
        $"{Brief(e.GradNormBeforeMean)} / {Brief(e.GradNormBeforeMax)}",
        Brief(e.GradNormAfterMean),
        Percent(e.ClipRate),
        Brief(e.TrainLoss),
        .. validation ? [Brief(e.ValLoss)] : Array.Empty<string>(),
        .. metrics.Select(m => MetricText.Of(m, e.Metric(m.Name))),
    ];

    /// <summary>The plots section: each plot as an embedded SVG with its title as caption; nothing when there are no plots.</summary>
    internal static void Plots(StringBuilder page, IReadOnlyList<RunPlot> plots)
    {
        if (plots.Count == 0)
        {
            return;
        }
        page.Append("<section id=\"plots\">\n<h2>Plots</h2>\n");
        foreach (var plot in plots)
        {
            page.Append("<figure id=\"plot-").Append(Encode(plot.Name)).Append("\">\n<img src=\"data:image/svg+xml;base64,")
                .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(plot.Svg)))
                .Append("\" alt=\"").Append(Encode(plot.Title)).Append("\" width=\"").Append(Integer(RunPlots.Width))
                .Append("\" height=\"").Append(Integer(RunPlots.Height)).Append("\" />\n<figcaption>").Append(Encode(plot.Title))
                .Append(" (also ").Append(Encode(plot.Name)).Append(".png and ").Append(Encode(plot.Name)).Append(".svg)</figcaption>\n</figure>\n");
        }
        page.Append("</section>\n");
    }

    /// <summary>The configuration section: a table of settings by name.</summary>
    internal static void Configuration(StringBuilder page, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        page.Append("<section id=\"configuration\">\n<h2>Configuration</h2>\n<table class=\"options\">\n<tbody>\n");
        foreach (var (name, value) in options)
        {
            page.Append("<tr><th>").Append(Encode(name)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        }
        page.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>Text made safe for the page's content and attributes.</summary>
    internal static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A whole number in the invariant culture.</summary>
    internal static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A figure with three significant digits, or a dash when there is none.</summary>
    internal static string Brief(double? value) => value is { } v ? NumberText.Brief(v) : "-";

    /// <summary>A fraction as a percentage with one decimal, or a dash when there is none.</summary>
    internal static string Percent(double? fraction) =>
        fraction is { } f ? NumberText.Percent(f) : "-";

    private const string Style = """

        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d8dde5; --ok: #1f7a45; --bad: #b4471b; }
        body { margin: 0; background: #f6f7f9; color: var(--ink); font: 15px/1.5 system-ui, "Segoe UI", "DejaVu Sans", sans-serif; }
        main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 16px; margin: 0 0 8px; }
        .lead { color: var(--muted); margin: 0 0 8px; }
        nav a { margin-right: 14px; color: #2456a6; text-decoration: none; }
        .stop { background: #fdecea; border-left: 4px solid var(--bad); padding: 10px 14px; }
        .verdict { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--bad); padding: 12px 16px; margin: 0 0 12px; }
        .verdict.green { border-left-color: var(--ok); }
        .verdict.blue { border-left-color: #2456a6; }
        .verdict.yellow { border-left-color: #c89b00; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { padding: 5px 12px; border-bottom: 1px solid var(--line); }
        table.epochs td, table.epochs th { text-align: right; font-variant-numeric: tabular-nums; }
        thead th { background: #eef1f5; font-weight: 600; vertical-align: bottom; }
        tr.best td, td.best { background: #e9f5ee; font-weight: 600; }
        tr.diverged td { background: #fdecea; }
        table.strategies td, table.strategies th { text-align: right; font-variant-numeric: tabular-nums; }
        table.strategies td:first-child, table.strategies th:first-child { text-align: left; }
        .strategy { margin: 0 0 20px; }
        table.options th { text-align: left; font-weight: 500; color: var(--muted); }
        table.options td { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        .note, footer { color: var(--muted); font-size: 13px; }
        figure { margin: 0 0 24px; background: #fff; border: 1px solid var(--line); padding: 8px; }
        figure img { display: block; max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
        footer { margin-top: 40px; }

        """;
}
