using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GradClip.Cli;
using Spectre.Console;

namespace GradClip.Benchmarks.Crash;

/// <summary>
/// <c>fuzz-run-folders [inputs] [seed]</c>: damages one file of a real run folder per input and runs the tool on it in
/// process: <c>train --resume</c> on checkpoints (the marker, the history, each generation file, the metrics logs; half the
/// time with the marker's hash made to agree, so that the damage reaches the file's reader), and <c>report</c> on finished
/// runs (summary.json, metrics.jsonl, steps.jsonl). Some inputs are a FIFO or a link to /dev/zero instead of a file. Each
/// run must end with exit 0, 1 or 2 (no unhandled exception: the process's exit 134), within 10 s, allocating under 500 MB.
/// </summary>
internal static class RunFolderFuzz
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    private const long AllocationLimit = 500L << 20;

    private static readonly string[] Tokens =
        ["null", "[]", "{}", "-1", "0", "1e309", "2147483648", "\"", "\\ud800", "\\u0000", ",", ":", "[[[[[[[[", "\"abc\"", "true", "\n", "\"lr\":\"abc\""];

    /// <summary>Runs both fuzzers; returns 0 when no input broke a bound.</summary>
    public static int Run(string[] args)
    {
        int inputs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount & 0xFFFFF;
        Console.WriteLine($"fuzz-run-folders: {inputs} inputs each, seed {seed}");
        string root = Directory.CreateTempSubdirectory("gradclip-fuzz-").FullName;
        try
        {
            string checkpointed = Path.Combine(root, "checkpointed");
            Require(App(["train", "--epochs", "2", "--checkpoint-every", "1", "--no-plots", "--out", checkpointed]));
            string finished = Path.Combine(root, "finished");
            Require(App(["train", "--epochs", "2", "--no-plots", "--out", finished]));
            var random = new Random(seed);
            string generation = Directory.GetDirectories(Path.Combine(checkpointed, "checkpoint"), "g-*").Single();
            string[] checkpointFiles =
            [
                Path.Combine("checkpoint", "checkpoint.json"), Path.Combine("checkpoint", "history.jsonl"),
                .. new[] { "state.json", "weights.safetensors", "optimizer.safetensors", "best.safetensors" }.Select(f => Path.Combine("checkpoint", Path.GetFileName(generation), f)),
                "steps.jsonl", "metrics.jsonl", "metrics.csv",
            ];
            int failures = Fuzz("train --resume", checkpointed, checkpointFiles, inputs, random, root,
                work => ["train", "--resume", work, "--epochs", "3", "--no-plots"]);
            failures += Fuzz("report", finished, ["summary.json", "metrics.jsonl", "steps.jsonl"], inputs, random, root,
                work => ["report", "--no-plots", work]);
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Fuzz(string name, string pristine, string[] files, int inputs, Random random, string root, Func<string, string[]> command)
    {
        var exits = new SortedDictionary<int, int>();
        int failures = 0;
        double slowest = 0;
        long mostAllocated = 0;
        string work = Path.Combine(root, "work");
        for (int i = 0; i < inputs; i++)
        {
            Copy(pristine, work);
            string file = files[random.Next(files.Length)];
            string what = Damage(work, file, random);
            var (exit, error, seconds, allocated) = Probe(command(work));
            slowest = Math.Max(slowest, seconds);
            mostAllocated = Math.Max(mostAllocated, allocated);
            exits[exit] = exits.GetValueOrDefault(exit) + 1;
            if (error is not null || exit is not (0 or 1 or 2) || seconds > TimeLimit.TotalSeconds || allocated > AllocationLimit)
            {
                failures++;
                string kept = Path.Combine(Path.GetTempPath(), $"gradclip-fuzz-failure-{Guid.NewGuid():N}");
                Copy(work, kept);
                Console.WriteLine($"  FAIL {name} input {i} ({file}: {what}): exit {exit}, {seconds:0.00} s, {allocated >> 20} MB{(error is null ? "" : ", " + error)}; kept in {kept}");
            }
            Directory.Delete(work, recursive: true);
        }
        Console.WriteLine($"{name}: {inputs} damaged run folders; exit codes {string.Join(", ", exits.Select(e => $"{e.Key} x{e.Value}"))}; "
            + $"slowest {slowest:0.00} s, most allocated {mostAllocated >> 20} MB; {failures} failures");
        return failures;
    }

    /// <summary>Damages <paramref name="file"/> in <paramref name="folder"/>: a FIFO, a link to /dev/zero, or bytes edited; returns what was done.</summary>
    private static string Damage(string folder, string file, Random random)
    {
        string path = Path.Combine(folder, file);
        int kind = random.Next(100);
        if (kind < 2)
        {
            File.Delete(path);
            File.CreateSymbolicLink(path, "/dev/zero");
            return "a link to /dev/zero";
        }
        if (kind < 4)
        {
            File.Delete(path);
            using var mkfifo = Process.Start("mkfifo", [path]);
            mkfifo.WaitForExit();
            return "a FIFO";
        }
        byte[] bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            bytes = Edit(bytes, random);
        }
        File.WriteAllBytes(path, bytes);
        if (file.Contains("g-", StringComparison.Ordinal) && random.Next(2) == 0)
        {
            AgreeInMarker(folder, path, bytes);
            return $"{edits} edits, hash made to agree";
        }
        return $"{edits} edits";
    }

    private static byte[] Edit(byte[] bytes, Random random)
    {
        int at = bytes.Length == 0 ? 0 : random.Next(bytes.Length);
        byte[] token = Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]);
        return random.Next(5) switch
        {
            0 when bytes.Length > 0 => Flip(bytes, at, random),
            1 => bytes[..at],
            2 => [.. bytes[..at], .. token, .. bytes[at..]],
            3 => [.. bytes[..at], .. token, .. bytes[Math.Min(bytes.Length, at + token.Length)..]],
            _ => [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + random.Next(1, 64))..]],
        };
    }

    private static byte[] Flip(byte[] bytes, int at, Random random)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    /// <summary>Sets the generation file's SHA-256 in the marker to that of its damaged bytes, when the marker parses.</summary>
    private static void AgreeInMarker(string folder, string path, byte[] bytes)
    {
        string marker = Path.Combine(folder, "checkpoint", "checkpoint.json");
        if (JsonNode.Parse(File.ReadAllText(marker))?["files"] is JsonObject files && files.ContainsKey(Path.GetFileName(path)))
        {
            files[Path.GetFileName(path)] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllText(marker, files.Root.ToJsonString());
        }
    }

    /// <summary>Runs the tool in process on its own thread; the exit code, an exception that escaped it, the seconds taken and the bytes allocated.</summary>
    private static (int Exit, string? Error, double Seconds, long Allocated) Probe(string[] arguments)
    {
        int exit = -1;
        string? error = null;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            try
            {
                exit = App(arguments);
            }
            catch (Exception ex)
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }
        })
        { IsBackground = true };
        worker.Start();
        if (!worker.Join(TimeLimit * 3))
        {
            return (-1, "still running after 30 s (left behind)", clock.Elapsed.TotalSeconds, 0);
        }
        return (exit, error, clock.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static int App(string[] arguments)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(TextWriter.Null),
        });
        return GradClipApp.Run(arguments, console);
    }

    private static void Require(int exit)
    {
        if (exit != 0)
        {
            throw new InvalidOperationException($"Preparing the seed run folder failed (exit {exit}).");
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string folder in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(folder.Replace(from, to, StringComparison.Ordinal));
        }
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = file.Replace(from, to, StringComparison.Ordinal);
            if (new FileInfo(file).LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (GradClip.Serialization.PosixFiles.NonRegularKind(file) is null)
            {
                // A FIFO is left out: copying one would wait for a writer.
                File.Copy(file, target);
            }
        }
    }
}
