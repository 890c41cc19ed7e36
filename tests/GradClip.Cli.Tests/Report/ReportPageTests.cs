using System.Xml.Linq;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

public sealed class ReportPageTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public void Text_from_the_run_files_is_html_encoded()
    {
        const string hostile = "<script>alert('x')</script> & \"quotes\"";
        var summary = Summary(null) with
        {
            Data = hostile,
            Verdicts = [new Verdict(hostile, hostile, hostile, hostile, null)],
            Options = [KeyValuePair.Create(hostile, hostile)],
        };

        string html = ReportPage.Html(new RunRecords([Epoch(1)], [], summary), []);

        var page = XDocument.Parse(html);
        Assert.Empty(page.Descendants(Xhtml + "script"));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains(hostile, page.Descendants(Xhtml + "h3").Select(h => h.Value));
        Assert.Contains(hostile, page.Descendants(Xhtml + "td").Select(td => td.Value));
    }

    [Fact]
    public void The_stop_reason_is_shown_only_when_training_stopped_early()
    {
        var stopped = XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1)], [], Summary("the loss went non-finite at step 7")), []));
        var finished = XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1)], [], Summary(null)), []));

        Assert.Equal("Training stopped early: the loss went non-finite at step 7", ById(stopped, "stop")!.Value);
        Assert.Null(ById(finished, "stop"));
    }

    [Fact]
    public void The_header_says_which_weights_were_kept()
    {
        string Lead(int bestEpoch) => XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1)], [], Summary(null) with { BestEpoch = bestEpoch }), []))
            .Descendants(Xhtml + "p").First().Value;

        Assert.EndsWith("weights kept from epoch 1.", Lead(1));
        Assert.EndsWith("no epoch ended with a finite validation loss and finite weights, so no model was saved.", Lead(0));
    }

    [Fact]
    public void The_best_epoch_row_is_highlighted_and_missing_figures_are_dashes()
    {
        var missing = new EpochRow(2, null, null, [KeyValuePair.Create("val_accuracy", (double?)null)], null, null, null, null, 3);

        var page = XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1), missing], [], Summary(null) with { BestEpoch = 2 }), []));

        var rows = page.Descendants(Xhtml + "tbody").First().Elements(Xhtml + "tr").ToList();
        Assert.Null(rows[0].Attribute("class"));
        Assert.Equal("best", (string?)rows[1].Attribute("class"));
        Assert.Equal(["2", "- / -", "-", "-", "-", "-", "-"], rows[1].Elements(Xhtml + "td").Select(td => td.Value));
        Assert.Equal(["1", "1.5 / 2.25", "1", "12.5 %", "0.5", "0.625", "87.5 %"], rows[0].Elements(Xhtml + "td").Select(td => td.Value));
    }

    [Fact]
    public void Plots_are_embedded_as_svg_data_uris_with_their_titles()
    {
        var plot = new RunPlot("loss", "Loss by epoch", [], "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");

        var page = XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1)], [], Summary(null)), [plot]));

        var image = Assert.Single(page.Descendants(Xhtml + "img"));
        Assert.Equal("data:image/svg+xml;base64," + Convert.ToBase64String("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray()), (string?)image.Attribute("src"));
        Assert.Equal("Loss by epoch", (string?)image.Attribute("alt"));
        Assert.Contains(page.Descendants(Xhtml + "a"), a => (string?)a.Attribute("href") == "#plots");
    }

    [Fact]
    public void Without_plots_there_is_no_plot_section_or_link_to_one()
    {
        var page = XDocument.Parse(ReportPage.Html(new RunRecords([Epoch(1)], [], Summary(null)), []));

        Assert.Null(ById(page, "plots"));
        Assert.DoesNotContain(page.Descendants(Xhtml + "a"), a => (string?)a.Attribute("href") == "#plots");
    }

    private static XElement? ById(XDocument page, string id) =>
        page.Descendants().SingleOrDefault(e => (string?)e.Attribute("id") == id);

    private static EpochRow Epoch(int epoch) => new(epoch, 0.5, 0.625, [KeyValuePair.Create("val_accuracy", (double?)0.875)], 1.5, 2.25, 1, 0.125, 0);

    private static RunSummary Summary(string? stopReason) =>
        new("built-in", 1000, "classification", "10-64-32-3", 1, 25, 1, stopReason,
            [new Verdict("Healthy", "Healthy: fine.", "Loss fell.", "Nothing to change.", null)], [KeyValuePair.Create("clip", "norm")], 1.5);
}
