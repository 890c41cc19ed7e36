using System.Diagnostics;
using GradClip.Cli.Report;
using SkiaSharp;

namespace GradClip.Cli.Tests.Report;

/// <summary>Opens a real run's report.html in headless Chromium (Debian's <c>chromium</c> package, which .ci/run installs).</summary>
public sealed class ReportInChromiumTests(TrainedRun trained) : IClassFixture<TrainedRun>, IDisposable
{
    private static readonly TimeSpan BrowserTimeLimit = TimeSpan.FromSeconds(60);

    private readonly string _profile = Directory.CreateTempSubdirectory("gradclip-chromium-").FullName;

    public void Dispose() => Directory.Delete(_profile, recursive: true);

    [Fact]
    public void Renders_the_report_without_console_errors_into_a_screenshot_that_is_not_blank()
    {
        string screenshot = Path.Combine(trained.Folder, "report-screenshot.png");

        var (exitCode, _, log) = Chromium($"--screenshot={screenshot}", "--window-size=1200,2000", PageUrl());

        Assert.True(exitCode == 0, $"Chromium exited with {exitCode}:\n{log}");
        Assert.DoesNotContain(log.Split('\n'), line => line.Contains(":CONSOLE", StringComparison.Ordinal));
        Assert.True(new FileInfo(screenshot).Length > 20_000, $"The screenshot has only {new FileInfo(screenshot).Length} bytes.");
        using var image = SKBitmap.Decode(screenshot);
        Assert.Equal((1200, 2000), (image.Width, image.Height));
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < image.Height; y += 10)
        {
            for (int x = 0; x < image.Width; x += 10)
            {
                colours.Add(image.GetPixel(x, y));
            }
        }
        Assert.True(colours.Count > 20, $"The screenshot has only {colours.Count} colours: the page did not render.");
    }

    [Fact]
    public void The_rendered_dom_holds_the_epoch_table_the_verdicts_and_every_plot()
    {
        var run = RunRecords.Read(trained.Folder);

        var (exitCode, dom, log) = Chromium("--dump-dom", PageUrl());

        Assert.True(exitCode == 0, $"Chromium exited with {exitCode}:\n{log}");
        Assert.Contains("<table class=\"epochs\">", dom);
        foreach (var epoch in run.Epochs)
        {
            Assert.Contains("<td>" + string.Join("</td><td>", ReportPage.Cells(epoch)) + "</td>", dom);
        }
        Assert.All(run.Summary.Verdicts, v => Assert.Contains(System.Net.WebUtility.HtmlEncode(v.Summary), dom));
        Assert.Equal(Directory.GetFiles(trained.Folder, "*.svg").Length, dom.Split("<img src=\"data:image/svg+xml;base64,").Length - 1);
    }

    private string PageUrl() => new Uri(Path.Combine(trained.Folder, RunReport.ReportFile)).AbsoluteUri;

    /// <summary>Runs headless Chromium with a fresh profile and no network services; returns its exit code, stdout and stderr.</summary>
    private (int ExitCode, string Output, string Log) Chromium(params string[] arguments)
    {
        var start = new ProcessStartInfo(FindChromium()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--enable-logging=stderr", $"--user-data-dir={_profile}",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var browser = Process.Start(start)!;
        var output = browser.StandardOutput.ReadToEndAsync();
        var log = browser.StandardError.ReadToEndAsync();
        if (!browser.WaitForExit(BrowserTimeLimit))
        {
            browser.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish within {BrowserTimeLimit.TotalSeconds} s.");
        }
        return (browser.ExitCode, output.Result, log.Result);
    }

    private static string FindChromium()
    {
        var candidates = new[] { "/usr/bin/chromium" }.Concat(
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, "chromium")));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException(
                "Chromium was not found (looked for /usr/bin/chromium and 'chromium' on PATH), so report.html could not be checked in a browser. "
                + "Install Debian's package: apt-get install -y --no-install-recommends chromium (.ci/run does this).");
    }
}
