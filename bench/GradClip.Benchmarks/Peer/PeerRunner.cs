using System.Diagnostics;
using System.Globalization;

namespace GradClip.Benchmarks.Peer;

/// <summary>
/// The side-by-side runner (<c>peer [ROUNDS] [MODEL...] [--before DIR]</c>): times the same models' training steps in GradClip and in
/// PyTorch (Debian's <c>python3-torch</c>, run by <c>/usr/bin/python3</c>), each at 1 and 2 threads, each program in its
/// own process, alternating which goes first from round to round; prints per model the median over rounds of each
/// program's per-step median, the spread (lowest–highest round), and GradClip's time ÷ PyTorch's. On a loaded machine
/// the processor time per step of the one-thread runs is the steadier measure, and is printed too. With
/// <c>--before DIR</c> the rounds also run an earlier build of this program from DIR (two threads), so that a change's
/// effect is measured under the same load as the comparison.
/// </summary>
internal static class PeerRunner
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs the comparison; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        int beforeAt = Array.IndexOf(args, "--before");
        string? before = beforeAt >= 0 && beforeAt + 1 < args.Length ? args[beforeAt + 1] : null;
        args = beforeAt >= 0 ? args[..beforeAt] : args;
        int rounds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int r) ? r : 5;
        string[] models = args.SkipWhile(a => int.TryParse(a, CultureInfo.InvariantCulture, out _)).ToArray();
        string[] programs = before is null ? Programs : [.. Programs, Before];
        if (models.Length == 0)
        {
            models = [.. PeerModel.Names];
        }
        foreach (string model in models)
        {
            PeerModel.Describe(model);
        }
        string script = Path.Combine(AppContext.BaseDirectory, "Peer", "torch_steps.py");
        var samples = models.ToDictionary(m => m, _ => programs.ToDictionary(p => p, _ => new List<Sample>()));
        string blas = "";
        for (int round = 0; round < rounds; round++)
        {
            foreach (string model in models)
            {
                (int warmup, int steps) = StepCounts(model);
                IEnumerable<string> order = round % 2 == 0 ? programs : programs.Reverse();
                foreach (string program in order)
                {
                    (Sample sample, string? library) = Measure(program, model, warmup, steps, script, before);
                    samples[model][program].Add(sample);
                    blas = library ?? blas;
                }
            }
            Console.Error.WriteLine($"round {round + 1} of {rounds} done");
        }
        Print(models, samples, rounds, blas, before is not null);
        return 0;
    }

    /// <summary>The programs of a round: GradClip at 2 and 1 threads, then PyTorch at 1 and at 2 threads.</summary>
    private static readonly string[] Programs = ["GradClip-2", "GradClip-1", "torch-1", "torch-2"];

    /// <summary>The earlier build's program name.</summary>
    private const string Before = "before";

    /// <summary>Warm-up and timed steps per model, so that each process runs about a second on a quiet machine.</summary>
    private static (int Warmup, int Steps) StepCounts(string model) => model switch
    {
        "mlp-small" => (200, 1000),
        "mlp-wide" => (30, 150),
        "lstm" => (10, 30),
        _ => (10, 25),
    };

    private static (Sample Sample, string? Blas) Measure(string program, string model, int warmup, int steps, string script, string? before)
    {
        string[] command = program switch
        {
            Before => [Path.Combine(before!, "GradClip.Benchmarks"), "engine-steps", model, "2", Text(warmup), Text(steps)],
            _ when program.StartsWith("GradClip", StringComparison.Ordinal) => [.. SelfCommand(), "engine-steps", model, program[^1..], Text(warmup), Text(steps)],
            _ => [Python, script, model, program[^1..], Text(warmup), Text(steps)],
        };
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in command[1..])
        {
            info.ArgumentList.Add(argument);
        }
        // Debian's OpenBLAS picks its kernels from the CPU itself when these are unset, which is its best on this machine.
        info.Environment.Remove("OPENBLAS_CORETYPE");
        info.Environment.Remove("OPENBLAS_L2_SIZE");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? result = lines.FirstOrDefault(l => l.StartsWith("result ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode} and printed: {output}");
        }
        string[] fields = result.Split(' ');
        // An earlier build may print no processor time.
        var sample = new Sample(Number(fields[2]), Number(fields[3]), Number(fields[4]), fields.Length > 5 ? Number(fields[5]) : double.NaN);
        return (sample, lines.FirstOrDefault(l => l.StartsWith("blas ", StringComparison.Ordinal))?[5..]);
    }

    /// <summary>The command that starts this benchmark program again (its apphost, or dotnet with its assembly).</summary>
    private static string[] SelfCommand()
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own path is unknown.");
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(PeerRunner).Assembly.Location] : [host];
    }

    private static void Print(string[] models, Dictionary<string, Dictionary<string, List<Sample>>> samples, int rounds, string blas, bool withBefore)
    {
        Console.WriteLine($"Side by side, {rounds} rounds alternating the programs; per-step medians in ms, median of rounds [lowest–highest].");
        Console.WriteLine($"CPU: {CpuName()}, {Environment.ProcessorCount} logical cores; PyTorch {TorchVersion()} with BLAS {blas}.");
        Console.WriteLine("| model | GradClip 2 threads | GradClip 1 thread | PyTorch 1 thread | PyTorch 2 threads | ÷ PyTorch's best | 1 thread ÷ 1 thread | processor time, 1 ÷ 1 | fwd / bwd GradClip 2 thr vs PyTorch 1 thr |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (string model in models)
        {
            Dictionary<string, List<Sample>> byProgram = samples[model];
            double ours = Median(byProgram["GradClip-2"], s => s.Step);
            double oursOne = Median(byProgram["GradClip-1"], s => s.Step);
            double one = Median(byProgram["torch-1"], s => s.Step);
            double two = Median(byProgram["torch-2"], s => s.Step);
            double processorRatio = Median(byProgram["GradClip-1"], s => s.Processor) / Median(byProgram["torch-1"], s => s.Processor);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {PeerModel.Describe(model)} | {Spread(byProgram["GradClip-2"])} | {Spread(byProgram["GradClip-1"])} | {Spread(byProgram["torch-1"])} | {Spread(byProgram["torch-2"])} | " +
                $"**{Math.Min(ours, oursOne) / Math.Min(one, two):F2}** | {oursOne / one:F2} | {processorRatio:F2} | " +
                $"{Median(byProgram["GradClip-2"], s => s.Forward):F2} / {Median(byProgram["GradClip-2"], s => s.Backward):F2} vs " +
                $"{Median(byProgram["torch-1"], s => s.Forward):F2} / {Median(byProgram["torch-1"], s => s.Backward):F2} |"));
        }
        if (withBefore)
        {
            Console.WriteLine();
            Console.WriteLine("| model | earlier build, 2 threads | its ÷ PyTorch's best | this build ÷ earlier, 2 threads |");
            Console.WriteLine("|---|---|---|---|");
            foreach (string model in models)
            {
                Dictionary<string, List<Sample>> byProgram = samples[model];
                double earlier = Median(byProgram[Before], s => s.Step);
                double best = Math.Min(Median(byProgram["torch-1"], s => s.Step), Median(byProgram["torch-2"], s => s.Step));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {PeerModel.Describe(model)} | {Spread(byProgram[Before])} | {earlier / best:F2} | {Median(byProgram["GradClip-2"], s => s.Step) / earlier:F2} |"));
            }
        }
    }

    private static string Spread(List<Sample> samples) => string.Create(CultureInfo.InvariantCulture,
        $"{Median(samples, s => s.Step):F3} [{samples.Min(s => s.Step):F3}–{samples.Max(s => s.Step):F3}]");

    private static double Median(List<Sample> samples, Func<Sample, double> field) => PeerSteps.Median(samples.Select(field).ToArray());

    private static string CpuName() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";

    private static string TorchVersion()
    {
        var info = new ProcessStartInfo(Python, ["-c", "import torch; print(torch.__version__)"]) { RedirectStandardOutput = true };
        using var process = Process.Start(info);
        return process?.StandardOutput.ReadToEnd().Trim() ?? "unknown";
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>One process's per-step medians: the whole step and its forward and backward phases, in ms.</summary>
    private readonly record struct Sample(double Step, double Forward, double Backward, double Processor);
}
