using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

/// <summary>Opens a real run's report.html in headless Chromium.</summary>
public sealed class ReportInChromiumTests(TrainedRun trained) : IClassFixture<TrainedRun>, IDisposable
{
    private readonly HeadlessChromium _chromium = new();

    public void Dispose() => _chromium.Dispose();

    [Fact]
    public void Renders_the_report_without_console_errors_into_a_screenshot_that_is_not_blank()
    {
        string screenshot = Path.Combine(trained.Folder, "report-screenshot.png");

        string log = _chromium.Screenshot(Page, screenshot);

        HeadlessChromium.AssertRendered(log, screenshot);
    }

    [Fact]
    public void The_rendered_dom_holds_the_epoch_table_the_verdicts_and_every_plot()
    {
        var run = RunRecords.Read(trained.Folder);

        string dom = _chromium.Dom(Page);

        Assert.Contains("<table class=\"epochs\">", dom);
        foreach (var epoch in run.Epochs)
        {
            Assert.Contains("<td>" + string.Join("</td><td>", ReportPage.Cells(epoch, ReportPage.Metrics(run.Epochs))) + "</td>", dom);
        }
        Assert.All(run.Summary.Verdicts, v => Assert.Contains(System.Net.WebUtility.HtmlEncode(v.Summary), dom));
        Assert.Equal(Directory.GetFiles(trained.Folder, "*.svg").Length, dom.Split("<img src=\"data:image/svg+xml;base64,").Length - 1);
    }

    private string Page => Path.Combine(trained.Folder, RunReport.ReportFile);
}
