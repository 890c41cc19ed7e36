using System.Diagnostics;
using SkiaSharp;

namespace GradClip.Cli.Tests.Report;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package, which ./test.sh installs) with a fresh profile and no network services, for
/// opening reports as a reader would. A missing browser fails the test that needs it, saying how to install one.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    private static readonly TimeSpan BrowserTimeLimit = TimeSpan.FromSeconds(60);

    private readonly string _profile = Directory.CreateTempSubdirectory("gradclip-chromium-").FullName;

    public void Dispose() => Directory.Delete(_profile, recursive: true);

    /// <summary>Opens <paramref name="page"/> and saves a 1200 × 2000 screenshot to <paramref name="screenshot"/>; returns Chromium's log.</summary>
    public string Screenshot(string page, string screenshot)
    {
        var (exitCode, _, log) = Run($"--screenshot={screenshot}", "--window-size=1200,2000", new Uri(page).AbsoluteUri);
        Assert.True(exitCode == 0, $"Chromium exited with {exitCode}:\n{log}");
        return log;
    }

    /// <summary>The document of <paramref name="page"/> as Chromium built it.</summary>
    public string Dom(string page)
    {
        var (exitCode, dom, log) = Run("--dump-dom", new Uri(page).AbsoluteUri);
        Assert.True(exitCode == 0, $"Chromium exited with {exitCode}:\n{log}");
        return dom;
    }

    /// <summary>Checks that the page logged nothing to its console and that the screenshot shows a rendered page, not a blank one.</summary>
    public static void AssertRendered(string log, string screenshot)
    {
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

    /// <summary>Runs Chromium with <paramref name="arguments"/>; returns its exit code, stdout and stderr.</summary>
    private (int ExitCode, string Output, string Log) Run(params string[] arguments)
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
                + "Install Debian's package: apt-get install -y --no-install-recommends chromium (./test.sh does this).");
    }
}
