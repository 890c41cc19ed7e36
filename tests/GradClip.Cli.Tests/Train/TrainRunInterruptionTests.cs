using System.Diagnostics;
using System.Globalization;
using System.Text;
using GradClip.Cli.Common;
using GradClip.Training;

namespace GradClip.Cli.Tests.Train;

/// <summary>
/// Real <c>gradclip train</c> processes killed (<c>kill -9</c>, a double Ctrl+C, SIGTERM) at random moments, or stopped
/// by a full disk: every stop leaves a resumable run, and the resumed run ends byte-identical to an uninterrupted one.
/// </summary>
public sealed class TrainRunInterruptionTests : IDisposable
{
    private const string Epochs = "12";

    private static readonly string[] ComparedFiles = ["metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors", "model.json"];

    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-kill-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name = "run") => Path.Combine(_folder, name);

    [Fact]
    public void Runs_killed_at_random_moments_resume_each_time_to_the_bytes_of_an_uninterrupted_run()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        int seed = Environment.TickCount & 0xFFFF;
        var random = new Random(seed);
        var log = new StringBuilder($"seed {seed}\n");
        bool finished = false;
        foreach (string[] signals in new[] { new[] { "KILL" }, ["INT", "INT"], ["TERM"] })
        {
            var (code, output) = RunAndStop(random.Next(0, 200), signals);
            log.Append(CultureInfo.InvariantCulture, $"{string.Join("+", signals)}: exit {code}\n");
            // 137 and 143: killed by SIGKILL, or by SIGTERM before the runtime had started the command.
            Assert.True(code is ExitCodes.Success or ExitCodes.Interrupted or 137 or 143, $"{log}{output}");
            AssertResumable(log);
            // A run that ended before its signal came has trained every epoch: there is nothing left to interrupt.
            finished = code == ExitCodes.Success;
            if (finished)
            {
                break;
            }
        }
        if (!finished)
        {
            var (finalCode, finalOutput) = Continue();
            Assert.True(finalCode == ExitCodes.Success, $"{log}{finalOutput}");
        }

        CliRunner.Run("train", "--epochs", Epochs, "--checkpoint-every", "1", "--out", Out("whole"));

        foreach (string file in ComparedFiles)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out("whole"), file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out(), file))), $"{file} differs; {log}");
        }
    }

    [Fact]
    public void A_disk_that_fills_up_during_a_save_leaves_the_previous_checkpoint_resumable()
    {
        if (!OperatingSystem.IsLinux() || !Mount(Out("disk")))
        {
            // Mounting a size-limited tmpfs needs root (or CAP_SYS_ADMIN); without it there is no real full disk to test on.
            return;
        }
        try
        {
            string run = Path.Combine(Out("disk"), "run");
            var output = new StringBuilder();
            using (var process = SignalledRun.StartCli(["train", "--epochs", "1000", "--checkpoint-every", "1", "--out", run], output))
            {
                WaitFor(() => File.Exists(Path.Combine(run, "checkpoint", CheckpointFolder.MarkerFile)), process, output);
                Fill(Path.Combine(Out("disk"), "filler"));
                Assert.True(process.WaitForExit(60_000), $"The run did not stop on the full disk:\n{output}");
                // The timed wait does not wait for the output still in flight; the untimed one does.
                process.WaitForExit();
                Assert.True(process.ExitCode == ExitCodes.Failure, $"exit {process.ExitCode}:\n{output}");
            }
            Assert.Contains("No space left on device", output.ToString());
            File.Delete(Path.Combine(Out("disk"), "filler"));

            var saved = CheckpointFolder.Load(Path.Combine(run, "checkpoint")).Checkpoint;
            string epochs = (saved.Epoch + 2).ToString(CultureInfo.InvariantCulture);
            var (code, resumed) = CliRunner.Run("train", "--resume", run, "--epochs", epochs);
            CliRunner.Run("train", "--epochs", epochs, "--checkpoint-every", "1", "--out", Out("whole"));

            Assert.True(code == ExitCodes.Success, resumed);
            foreach (string file in ComparedFiles)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(Out("whole"), file)), File.ReadAllBytes(Path.Combine(run, file)));
            }
        }
        finally
        {
            using var umount = Process.Start("umount", [Out("disk")]);
            umount.WaitForExit();
        }
    }

    /// <summary>
    /// Starts or resumes the run, waits until it has written a checkpoint of its own (it is training) and then
    /// <paramref name="delayMs"/>, sends the signals a few milliseconds apart, and waits for the exit.
    /// </summary>
    private (int ExitCode, string Output) RunAndStop(int delayMs, string[] signals)
    {
        var output = new StringBuilder();
        string marker = Path.Combine(Out(), "checkpoint", CheckpointFolder.MarkerFile);
        var before = File.Exists(marker) ? File.GetLastWriteTimeUtc(marker) : DateTime.MinValue;
        using var process = SignalledRun.StartCli(Arguments(), output);
        var clock = Stopwatch.StartNew();
        while ((!File.Exists(marker) || File.GetLastWriteTimeUtc(marker) == before) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(2);
        }
        if (!process.WaitForExit(delayMs))
        {
            foreach (string signal in signals)
            {
                SignalledRun.Send(process, signal);
                Thread.Sleep(5);
            }
        }
        Assert.True(process.WaitForExit(60_000), $"The run did not stop:\n{output}");
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Runs the run to its end, from its checkpoint when it has one.</summary>
    private (int ExitCode, string Output) Continue()
    {
        var output = new StringBuilder();
        using var process = SignalledRun.StartCli(Arguments(), output);
        Assert.True(process.WaitForExit(120_000), $"The run did not end:\n{output}");
        return (process.ExitCode, output.ToString());
    }

    /// <summary>A resume of the run when it has a checkpoint, otherwise a start (a kill before the first checkpoint leaves nothing to resume).</summary>
    private string[] Arguments() => File.Exists(Path.Combine(Out(), "checkpoint", CheckpointFolder.MarkerFile))
        ? ["train", "--resume", Out(), "--epochs", Epochs]
        : ["train", "--epochs", Epochs, "--checkpoint-every", "1", "--overwrite", "--out", Out()];

    /// <summary>Once a checkpoint was written, a complete one must load, whatever moment the kill hit.</summary>
    private void AssertResumable(StringBuilder log)
    {
        string checkpoints = Path.Combine(Out(), "checkpoint");
        if (File.Exists(Path.Combine(checkpoints, CheckpointFolder.MarkerFile)))
        {
            var checkpoint = CheckpointFolder.Load(checkpoints).Checkpoint;
            log.Append(CultureInfo.InvariantCulture, $"  checkpoint at epoch {checkpoint.Epoch}, step {checkpoint.Steps.Count}\n");
        }
    }

    private static void WaitFor(Func<bool> condition, Process process, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, $"The run ended early:\n{output}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "No checkpoint within a minute.");
            Thread.Sleep(10);
        }
    }

    /// <summary>Mounts a 16 MB tmpfs at <paramref name="folder"/>; false when this process may not mount.</summary>
    private static bool Mount(string folder)
    {
        Directory.CreateDirectory(folder);
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", folder])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        mount.StandardError.ReadToEnd();
        mount.WaitForExit();
        return mount.ExitCode == 0;
    }

    /// <summary>Writes zeros into <paramref name="path"/> until the disk is full.</summary>
    private static void Fill(string path)
    {
        using var filler = new FileStream(path, FileMode.CreateNew);
        var block = new byte[1 << 16];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // The disk is full: what the run meets at its next save.
        }
    }
}
