using System.Net;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

/// <summary>Opens a real comparison's report.html in headless Chromium.</summary>
public sealed class CompareReportInChromiumTests(ComparedRuns compared) : IClassFixture<ComparedRuns>, IDisposable
{
    private readonly HeadlessChromium _chromium = new();

    public void Dispose() => _chromium.Dispose();

    [Fact]
    public void Renders_the_comparison_report_without_console_errors_into_a_screenshot_that_is_not_blank()
    {
        string screenshot = Path.Combine(compared.Folder, "report-screenshot.png");

        string log = _chromium.Screenshot(Page, screenshot);

        HeadlessChromium.AssertRendered(log, screenshot);
    }

    [Fact]
    public void The_rendered_dom_holds_a_row_and_the_verdicts_of_every_strategy_and_every_plot()
    {
        var comparison = ComparisonRecords.Read(compared.Folder);

        string dom = _chromium.Dom(Page);

        Assert.Contains("<table class=\"strategies\">", dom);
        foreach (var strategy in comparison.Strategies)
        {
            Assert.Contains($"<td><a href=\"{ComparePage.ReportLink(strategy)}\">{WebUtility.HtmlEncode(strategy.Row.Strategy)}</a></td>", dom);
            Assert.All(strategy.Run.Summary.Verdicts, v => Assert.Contains(WebUtility.HtmlEncode(v.Summary), dom));
        }
        Assert.Equal(Directory.GetFiles(compared.Folder, "*.svg").Length, dom.Split("<img src=\"data:image/svg+xml;base64,").Length - 1);
    }

    private string Page => Path.Combine(compared.Folder, RunReport.ReportFile);
}
