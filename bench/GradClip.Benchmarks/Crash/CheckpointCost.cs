using System.Globalization;
using System.Text.RegularExpressions;

namespace GradClip.Benchmarks.Crash;

/// <summary>
/// <c>checkpoint-cost [rows] [epochs]</c>: a long <c>gradclip train</c> run on a synthetic CSV with <c>--checkpoint-every 1</c>
/// against the same run without checkpoints, each as its own process under <c>/usr/bin/time</c>; prints the wall time and
/// peak resident memory of both and their ratios (target: at most 1.3x).
/// </summary>
internal static partial class CheckpointCost
{
    /// <summary>Runs the comparison; returns 0.</summary>
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        string epochs = args.Length > 1 ? args[1] : "200";
        string root = Directory.CreateTempSubdirectory("gradclip-checkpoint-cost-").FullName;
        try
        {
            string data = Path.Combine(root, "data.csv");
            SyntheticCsv.Write(data, rows);
            string[] common = ["train", "--data", data, "--epochs", epochs, "--no-plots"];
            var without = Measure([.. common, "--out", Path.Combine(root, "plain")]);
            var with = Measure([.. common, "--checkpoint-every", "1", "--out", Path.Combine(root, "checkpointed")]);
            long history = new FileInfo(Path.Combine(root, "checkpointed", "checkpoint", "history.jsonl")).Length;
            Console.WriteLine($"checkpoint-cost: {rows} rows, {epochs} epochs (history.jsonl {history >> 20} MB at the end)");
            Console.WriteLine($"  without checkpoints:     {without.Seconds,8:0.00} s {without.PeakMb,8:0} MB peak");
            Console.WriteLine($"  --checkpoint-every 1:    {with.Seconds,8:0.00} s {with.PeakMb,8:0} MB peak");
            Console.WriteLine($"  ratio:                   {with.Seconds / without.Seconds,8:0.00}x {with.PeakMb / without.PeakMb,7:0.00}x");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Runs <c>gradclip</c> with <paramref name="arguments"/> under <c>/usr/bin/time</c>; returns its wall time and peak resident memory.</summary>
    internal static (double Seconds, double PeakMb) Measure(string[] arguments)
    {
        var (code, output) = CliProcess.Run(arguments, wrapper: ["/usr/bin/time", "-f", "time: %e s, %M KB"]);
        var match = TimeLine().Match(output);
        if (code != 0 || !match.Success)
        {
            throw new InvalidOperationException($"The run failed (exit {code}):\n{output}");
        }
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) / 1024);
    }

    [GeneratedRegex(@"time: ([0-9.]+) s, ([0-9]+) KB")]
    private static partial Regex TimeLine();
}
