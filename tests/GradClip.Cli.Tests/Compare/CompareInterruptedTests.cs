using System.Text.Json;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Compare;

/// <summary>Ctrl+C sent to a real <c>gradclip compare</c> process after its first strategy.</summary>
public sealed class CompareInterruptedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-compare-signal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_interrupted_comparison_compares_the_strategies_it_finished_exits_130_and_leaves_no_partial_run()
    {
        // Signals are sent with kill(1); Windows has neither.
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string dir = Path.Combine(_folder, "cmp");

        var (code, output) = SignalledRun.Interrupt(
            ["compare", "--task", "rnn-long", "--strategies", "none,norm:1,norm:5", "--no-plots", "--out", dir],
            () => File.Exists(Path.Combine(dir, "none", "summary.json")), "its first strategy had finished", "INT");

        Assert.True(code == ExitCodes.Interrupted, $"exit code {code}; output:\n{output}");
        Assert.Contains("Interrupted by SIGINT after", output);
        var compared = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "comparison.json"))).RootElement
            .GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("folder").GetString()).ToList();
        Assert.Equal("none", compared[0]);
        Assert.True(compared.Count < 3, $"all strategies finished before the signal: {string.Join(", ", compared)}");
        Assert.Equal(compared.Order(), Directory.GetDirectories(dir).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
    }
}
