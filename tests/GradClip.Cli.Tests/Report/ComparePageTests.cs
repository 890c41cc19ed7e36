using System.Xml.Linq;
using GradClip.Cli.Report;
using static GradClip.Cli.Tests.Report.ComparisonPlotsTests;

namespace GradClip.Cli.Tests.Report;

public sealed class ComparePageTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public void For_a_loss_metric_the_lowest_value_is_the_best()
    {
        var comparison = Comparison("val_rmse", Strategy("a", null, 1, 0.5), Strategy("b", null, 1, 0.25), Strategy("c", null, 1, 0.75));

        var rows = Rows(XDocument.Parse(ComparePage.Html(comparison, [])));

        Assert.Equal([false, true, false], rows.Select(r => (string?)r[3].Attribute("class") == "best"));
        Assert.Equal(["0.5", "0.25", "0.75"], rows.Select(r => r[3].Value));
    }

    [Fact]
    public void Missing_figures_are_dashes_and_never_the_best()
    {
        var comparison = Comparison("val_accuracy", Strategy("none", 1, null, null), Strategy("norm:1", null, 1, 0.5));

        var rows = Rows(XDocument.Parse(ComparePage.Html(comparison, [])));

        Assert.Equal(["none", "-", "-", "-", "-", "-", "yes", "1", "25 %", "1.5", "2"], rows[0].Select(td => td.Value));
        Assert.Equal(["norm:1", "0.5", "50 %", "50 %", "-", "-", "no", "-", "25 %", "1.5", "2"], rows[1].Select(td => td.Value));
        Assert.Equal([null, null, null], rows[0].Skip(1).Take(3).Select(td => (string?)td.Attribute("class")));
        Assert.Equal(["best", "best", "best"], rows[1].Skip(1).Take(3).Select(td => (string?)td.Attribute("class")));
    }

    [Fact]
    public void Text_from_the_comparison_is_html_encoded_and_folder_links_are_escaped()
    {
        const string hostile = "<script>alert('x')</script> & \"quotes\"";
        var plain = Strategy("s", null, 1, 0.5);
        var strategy = plain with { Row = plain.Row with { Strategy = hostile, Folder = "a b#c" } };
        var comparison = Comparison("val_accuracy", strategy) with { Task = hostile, Model = hostile };

        string html = ComparePage.Html(comparison, []);

        var page = XDocument.Parse(html);
        Assert.DoesNotContain("<script>", html);
        Assert.Empty(page.Descendants(Xhtml + "script"));
        Assert.Contains(hostile, page.Descendants(Xhtml + "a").Select(a => a.Value));
        Assert.Contains("a%20b%23c/report.html", page.Descendants(Xhtml + "a").Select(a => (string?)a.Attribute("href")));
    }

    [Fact]
    public void Without_plots_there_is_no_plot_section_or_link_to_one()
    {
        var page = XDocument.Parse(ComparePage.Html(Comparison("val_accuracy", Strategy("a", null, 1, 0.5)), []));

        Assert.DoesNotContain(page.Descendants(), e => (string?)e.Attribute("id") == "plots");
        Assert.DoesNotContain(page.Descendants(Xhtml + "a"), a => (string?)a.Attribute("href") == "#plots");
    }

    private static List<List<XElement>> Rows(XDocument page) =>
        page.Descendants(Xhtml + "table").First().Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr")
            .Select(tr => tr.Elements(Xhtml + "td").ToList()).ToList();
}
