using System.Diagnostics;
using System.Globalization;
using GradClip.Benchmarks.Crash;

namespace GradClip.Benchmarks;

/// <summary>
/// <c>report-scale [rows] [epochs]</c>: a <c>gradclip train</c> run on a synthetic CSV (by default 200,000 rows for 20 epochs
/// at batch 32: 100,000 steps) with its plots and again with <c>--no-plots</c>, each its own process under
/// <c>/usr/bin/time</c>; prints both wall times and their ratio (target: plots add at most 10 %), the size of report.html
/// (target: under 2 MB) and how long headless Chromium takes to open it and take a screenshot (target: under 3 s), beside
/// its time for an empty page.
/// </summary>
internal static class ReportScale
{
    /// <summary>Runs the measurement; returns 0.</summary>
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        string epochs = args.Length > 1 ? args[1] : "20";
        string root = Directory.CreateTempSubdirectory("gradclip-report-scale-").FullName;
        try
        {
            string data = Path.Combine(root, "data.csv");
            SyntheticCsv.Write(data, rows);
            string[] common = ["train", "--data", data, "--epochs", epochs, "--batch-size", "32"];
            var plain = CheckpointCost.Measure([.. common, "--no-plots", "--out", Path.Combine(root, "plain")]);
            string plotted = Path.Combine(root, "plotted");
            var withPlots = CheckpointCost.Measure([.. common, "--out", plotted]);
            string page = Path.Combine(plotted, "report.html");
            long steps = File.ReadLines(Path.Combine(plotted, "steps.jsonl")).LongCount();
            double blank = RenderSeconds(WriteBlankPage(root), root);
            double render = RenderSeconds(page, root);
            Console.WriteLine($"report-scale: {rows} rows, {epochs} epochs, {steps} steps");
            Console.WriteLine($"  --no-plots:       {plain.Seconds,8:0.00} s {plain.PeakMb,8:0} MB peak");
            Console.WriteLine($"  with plots:       {withPlots.Seconds,8:0.00} s {withPlots.PeakMb,8:0} MB peak");
            Console.WriteLine($"  plots add:        {100 * (withPlots.Seconds / plain.Seconds - 1),8:0.0} % of the wall time");
            Console.WriteLine($"  report.html:      {new FileInfo(page).Length / 1e6,8:0.00} MB");
            Console.WriteLine($"  Chromium render:  {render,8:0.00} s (headless, start to screenshot; an empty page took {blank:0.00} s)");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>An empty page, whose time in Chromium is the browser's own start and screenshot.</summary>
    private static string WriteBlankPage(string root)
    {
        string blank = Path.Combine(root, "blank.html");
        File.WriteAllText(blank, "<!DOCTYPE html><html><body></body></html>");
        return blank;
    }

    /// <summary>The wall time of a headless Chromium opening <paramref name="page"/> and saving a screenshot of it.</summary>
    private static double RenderSeconds(string page, string root)
    {
        var info = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", $"--user-data-dir={Path.Combine(root, "chromium")}", $"--screenshot={Path.Combine(root, "report.png")}",
            "--window-size=1200,2000", new Uri(page).AbsoluteUri,
        })
        {
            info.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var browser = Process.Start(info) ?? throw new InvalidOperationException("Could not start /usr/bin/chromium.");
        _ = browser.StandardOutput.ReadToEndAsync();
        _ = browser.StandardError.ReadToEndAsync();
        browser.WaitForExit();
        return browser.ExitCode == 0 ? clock.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"Chromium exited with {browser.ExitCode}.");
    }
}
