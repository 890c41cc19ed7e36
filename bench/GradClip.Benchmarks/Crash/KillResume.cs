using System.Diagnostics;
using System.Globalization;
using System.Text;
using GradClip.Training;

namespace GradClip.Benchmarks.Crash;

/// <summary>
/// <c>kill-resume [kills] [seed] [rows] [epochs]</c>: trains a real <c>gradclip train --checkpoint-every 1</c> process and
/// stops it again and again (<c>kill -9</c>, a double Ctrl+C, SIGTERM in turn), half the time the moment a save is under
/// way (a new generation folder beside the current one), half at a random moment after a checkpoint; resumes each time;
/// then checks that the finished run's metrics and model are byte-identical to an uninterrupted run's.
/// </summary>
internal static class KillResume
{
    private static readonly string[][] SignalSets = [["KILL"], ["INT", "INT"], ["TERM"]];

    private static readonly string[] ComparedFiles = ["metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors", "model.json"];

    /// <summary>Runs the check; returns 0 when every resume succeeded and the files match.</summary>
    public static int Run(string[] args)
    {
        int kills = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount & 0xFFFFF;
        int rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000;
        string epochs = args.Length > 3 ? args[3] : "150";
        Console.WriteLine($"kill-resume: {kills} kills, seed {seed}, {rows} rows, {epochs} epochs");
        string root = Directory.CreateTempSubdirectory("gradclip-kill-resume-").FullName;
        try
        {
            string data = Path.Combine(root, "data.csv");
            SyntheticCsv.Write(data, rows);
            string run = Path.Combine(root, "run");
            string checkpoints = Path.Combine(run, "checkpoint");
            string[] Arguments() => File.Exists(Path.Combine(checkpoints, CheckpointFolder.MarkerFile))
                ? ["train", "--resume", run, "--epochs", epochs, "--no-plots"]
                : ["train", "--data", data, "--epochs", epochs, "--checkpoint-every", "1", "--no-plots", "--overwrite", "--out", run];
            var random = new Random(seed);
            var exits = new SortedDictionary<int, int>();
            int midSave = 0, halfWritten = 0, resumable = 0, beforeFirst = 0, done = 0;
            bool checkpointed = false;
            for (; done < kills; done++)
            {
                var signals = SignalSets[done % SignalSets.Length];
                bool duringSave = done % 2 == 0;
                var output = new StringBuilder();
                var leftovers = Generations(checkpoints);
                using var process = CliProcess.Start(Arguments(), output);
                bool hit = duringSave ? WaitForSave(checkpoints, leftovers, process) : WaitAfterCheckpoint(checkpoints, process, random.Next(0, 300));
                if (process.HasExited)
                {
                    Console.WriteLine($"  the run finished after {done} kills, before kill {done + 1}");
                    break;
                }
                foreach (string signal in signals)
                {
                    CliProcess.Send(process, signal);
                    Thread.Sleep(random.Next(0, 3));
                }
                process.WaitForExit();
                exits[process.ExitCode] = exits.GetValueOrDefault(process.ExitCode) + 1;
                midSave += duringSave && hit ? 1 : 0;
                halfWritten += CheckpointFolder.TryReadManifest(checkpoints)?.Generation is { } current
                    && Directory.EnumerateDirectories(checkpoints, "g-*").Any(g => Path.GetFileName(g) != current) ? 1 : 0;
                if (CheckpointFolder.TryReadManifest(checkpoints) is null && !checkpointed)
                {
                    // Killed during the first save: no checkpoint was promised yet, and the run starts afresh.
                    beforeFirst++;
                    Console.WriteLine($"  kill {done + 1,2}: {string.Join("+", signals),-7} during the first save, before any checkpoint; exit {process.ExitCode,3}");
                    continue;
                }
                var checkpoint = CheckpointFolder.Load(checkpoints).Checkpoint;
                checkpointed = true;
                resumable++;
                Console.WriteLine($"  kill {done + 1,2}: {string.Join("+", signals),-7} {(duringSave ? "during a save" : "after a checkpoint"),-18} exit {process.ExitCode,3}; checkpoint at epoch {checkpoint.Epoch}, step {checkpoint.Steps.Count}");
            }
            var (code, finalOutput) = CliProcess.Run(Arguments());
            if (code != 0)
            {
                Console.WriteLine($"The final resume failed (exit {code}):\n{finalOutput}");
                return 1;
            }
            string whole = Path.Combine(root, "whole");
            CliProcess.Run(["train", "--data", data, "--epochs", epochs, "--checkpoint-every", "1", "--no-plots", "--out", whole]);
            var differing = ComparedFiles.Where(f => !File.ReadAllBytes(Path.Combine(run, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(whole, f)))).ToList();
            Console.WriteLine($"kills: {done}; a save was under way at {midSave} of the {(done + 1) / 2} aimed at saves; {halfWritten} left a half-written generation beside the checkpoint");
            Console.WriteLine($"exit codes: {string.Join(", ", exits.Select(e => $"{e.Key} x{e.Value}"))}");
            Console.WriteLine($"resumable after every kill once a checkpoint existed: {resumable} of {done - beforeFirst} ({beforeFirst} before the first); final run byte-identical to an uninterrupted one: {(differing.Count == 0 ? "yes" : "NO: " + string.Join(", ", differing))}");
            return differing.Count == 0 && resumable + beforeFirst == done ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Waits until a generation folder appears that was not there at the start (<paramref name="before"/>: the current one,
    /// and any an earlier kill left): a save under way. False when the run ended first.
    /// </summary>
    private static bool WaitForSave(string checkpoints, IReadOnlySet<string> before, Process process)
    {
        while (!process.HasExited)
        {
            if (Generations(checkpoints).Any(g => !before.Contains(g)))
            {
                return true;
            }
            Thread.SpinWait(2_000);
        }
        return false;
    }

    private static HashSet<string> Generations(string checkpoints) =>
        Directory.Exists(checkpoints) ? [.. Directory.GetDirectories(checkpoints, "g-*")] : [];

    /// <summary>Waits for the run's next checkpoint, then <paramref name="delayMs"/>; false when the run ended first.</summary>
    private static bool WaitAfterCheckpoint(string checkpoints, Process process, int delayMs)
    {
        string marker = Path.Combine(checkpoints, CheckpointFolder.MarkerFile);
        var before = File.Exists(marker) ? File.GetLastWriteTimeUtc(marker) : DateTime.MinValue;
        while (!process.HasExited && (!File.Exists(marker) || File.GetLastWriteTimeUtc(marker) == before))
        {
            Thread.Sleep(1);
        }
        return !process.WaitForExit(delayMs);
    }
}
