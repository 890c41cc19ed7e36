using System.Diagnostics;
using System.Globalization;
using GradClip.Corpus;
using GradClip.Diagnosis;

namespace GradClip.Benchmarks;

/// <summary>
/// The diagnosis benchmark (console mode <c>corpus</c>): every scenario of the labelled corpus over the tuning seeds 0–4,
/// the held-out seeds 5–9 and variations of learning rate, width and data; prints each run's verdicts, the confusion
/// matrix (expected kind × given kind) and the agreement, and exits 1 when a held-out run disagrees or a failed run is
/// called healthy.
/// </summary>
public static class DiagnosisCorpus
{
    /// <summary>
    /// Runs the matrix and returns the exit code; <paramref name="arguments"/> may name scenarios to run alone, and
    /// <c>--tuning</c> limits the runs to the tuning seeds.
    /// </summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        bool tuningOnly = arguments.Contains("--tuning");
        var only = arguments.Where(a => a != "--tuning").ToList();
        var scenarios = Scenarios.All.Where(s => only.Count == 0 || only.Contains(s.Name)).ToList();
        var results = new List<(Scenario Scenario, string Set, HealthKind Given)>();
        var clock = Stopwatch.StartNew();
        foreach (var scenario in scenarios)
        {
            foreach (var (set, seed, variation) in Runs().Where(r => !tuningOnly || r.Set == "tuning"))
            {
                var trace = scenario.Train(seed, variation);
                var findings = HealthCheck.Diagnose(trace);
                var given = HealthCheck.Primary(findings).Kind;
                results.Add((scenario, set, given));
                string mark = given == scenario.Expected ? "ok " : "BAD";
                Console.WriteLine(Invariant($"{mark} {scenario.Name,-14} {set,-9} seed {seed} {variation.Name,-11} → {given,-30} [{string.Join(", ", findings.Select(f => $"{f.Kind}/{f.Severity}"))}]"));
                if (given != scenario.Expected)
                {
                    foreach (var f in findings)
                    {
                        Console.WriteLine($"      {f.Kind}: {f.Summary} | {f.Evidence}");
                    }
                }
            }
        }
        Console.WriteLine();
        WriteMatrix(results.Select(r => (r.Scenario.Expected, r.Given)).ToList());
        foreach (var set in new[] { "tuning", "held-out", "variation", "fresh" })
        {
            var inSet = results.Where(r => r.Set == set).ToList();
            int agree = inSet.Count(r => r.Given == r.Scenario.Expected);
            Console.WriteLine(Invariant($"Agreement on {set} runs: {agree}/{inSet.Count} ({100.0 * agree / Math.Max(1, inSet.Count):F1} %)"));
        }
        var failedCalledHealthy = results.Where(r => r.Scenario.Expected is not HealthKind.Healthy and not HealthKind.ClippingIdle && r.Given == HealthKind.Healthy).ToList();
        Console.WriteLine($"Failed runs called Healthy: {failedCalledHealthy.Count}");
        Console.WriteLine(Invariant($"{results.Count} runs in {clock.Elapsed.TotalSeconds:F0} s"));
        bool heldOutPerfect = results.Where(r => r.Set != "tuning").All(r => r.Given == r.Scenario.Expected);
        return heldOutPerfect && failedCalledHealthy.Count == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Set, int Seed, Variation Variation)> Runs()
    {
        foreach (int seed in Scenarios.TuningSeeds)
        {
            yield return ("tuning", seed, Variation.None);
        }
        foreach (int seed in Scenarios.HeldOutSeeds)
        {
            yield return ("held-out", seed, Variation.None);
        }
        foreach (var variation in Variation.All)
        {
            yield return ("variation", Scenarios.HeldOutSeeds[0], variation);
        }
        foreach (int seed in Scenarios.FreshSeeds)
        {
            yield return ("fresh", seed, Variation.None);
        }
    }

    private static void WriteMatrix(List<(HealthKind Expected, HealthKind Given)> pairs)
    {
        var kinds = Enum.GetValues<HealthKind>().Where(k => pairs.Any(p => p.Expected == k || p.Given == k)).ToList();
        Console.WriteLine("Confusion matrix (rows: expected kind, columns: given kind)");
        Console.WriteLine($"{"",-30}" + string.Concat(kinds.Select((_, i) => $"{i,5}")));
        foreach (var (expected, i) in kinds.Select((k, i) => (k, i)))
        {
            Console.WriteLine($"{i,2} {expected,-27}" + string.Concat(kinds.Select(given => $"{pairs.Count(p => p.Expected == expected && p.Given == given),5}")));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
