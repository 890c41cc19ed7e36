using System.Diagnostics;
using System.Globalization;
using GradClip.Corpus;
using GradClip.Diagnosis;
using GradClip.Logs;

namespace GradClip.Benchmarks;

/// <summary>
/// The round trip of <c>gradclip diagnose</c> (console mode <c>diagnose-roundtrip</c>): every scenario of the labelled
/// corpus is trained, judged, exported as Hugging Face's trainer_state.json logging every 1, 10 and 50 steps and as
/// Lightning's metrics.csv, read back through the log readers and judged again; prints, per run and export, the primary
/// kind and whether the verdict kinds match the run's own, then the agreement per export. Exits 1 when any export
/// disagrees on the primary kind.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/GradClip.Benchmarks -- diagnose-roundtrip [seed…]</c> (default seeds 0 and 5).</remarks>
public static class DiagnoseRoundTrip
{
    private static readonly (string Name, string File, Func<RunTrace, string> Export)[] Exports =
    [
        ("hf-every-1", "trainer_state.json", trace => TraceExport.TrainerState(trace, 1)),
        ("hf-every-10", "trainer_state.json", trace => TraceExport.TrainerState(trace, 10)),
        ("hf-every-50", "trainer_state.json", trace => TraceExport.TrainerState(trace, 50)),
        ("lightning", "metrics.csv", TraceExport.LightningCsv),
    ];

    /// <summary>Runs the round trip over the seeds in <paramref name="arguments"/> and returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        int[] seeds = arguments.Count > 0 ? [.. arguments.Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [0, 5];
        string folder = Directory.CreateTempSubdirectory("gradclip-roundtrip-").FullName;
        var primaryAgrees = Exports.ToDictionary(e => e.Name, _ => 0);
        var kindsAgree = Exports.ToDictionary(e => e.Name, _ => 0);
        int runs = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var scenario in Scenarios.All)
            {
                foreach (int seed in seeds)
                {
                    var trace = scenario.Run(seed);
                    var own = HealthCheck.Diagnose(trace);
                    var options = new LogOptions(MaxNorm: trace.Setup.Clipping == ClippingKind.Norm ? trace.Setup.MaxNorm : 0);
                    Console.WriteLine(Invariant($"{scenario.Name,-14} seed {seed,2}: run → {HealthCheck.Primary(own).Kind} [{Kinds(own)}]"));
                    runs++;
                    foreach (var (name, file, export) in Exports)
                    {
                        string path = Path.Combine(folder, name + "-" + file);
                        File.WriteAllText(path, export(trace));
                        var findings = HealthCheck.Diagnose(LogReader.Read(path, options).Trace);
                        bool primary = HealthCheck.Primary(findings).Kind == HealthCheck.Primary(own).Kind;
                        bool kinds = Kinds(findings) == Kinds(own);
                        primaryAgrees[name] += primary ? 1 : 0;
                        kindsAgree[name] += kinds ? 1 : 0;
                        Console.WriteLine(Invariant($"    {(primary ? "ok " : "BAD")} {name,-12} → {HealthCheck.Primary(findings).Kind}{(kinds ? "" : $" [{Kinds(findings)}]")}"));
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine();
        foreach (var (name, _, _) in Exports)
        {
            Console.WriteLine(Invariant($"{name,-12}: primary kind as the run's in {primaryAgrees[name]}/{runs}, every kind in {kindsAgree[name]}/{runs}"));
        }
        Console.WriteLine(Invariant($"{runs} runs in {clock.Elapsed.TotalSeconds:F0} s"));
        return primaryAgrees.Values.All(agree => agree == runs) ? 0 : 1;
    }

    private static string Kinds(IReadOnlyList<HealthFinding> findings) => string.Join(", ", findings.Select(f => f.Kind).Order());

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
