using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Training;
using System.Diagnostics;
using System.Globalization;

namespace GradClip.Cli.Tests.Train;

/// <summary>Ctrl+C and SIGTERM sent to a real gradclip process while it trains.</summary>
public sealed class StopSignalsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-signal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_during_training_writes_a_checkpoint_exits_130_and_resuming_matches_an_uninterrupted_run(string signal)
    {
        // Signals are sent with kill(1); Windows has neither.
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string run = Path.Combine(_folder, "run");

        var (code, output) = InterruptTraining(run, signal);

        Assert.True(code == ExitCodes.Interrupted, $"exit code {code}; output:\n{output}");
        Assert.Contains($"Interrupted by SIG{signal}", output);
        Assert.Contains($"gradclip train --resume {run}", output);
        Assert.True(File.Exists(Path.Combine(run, "metrics.csv")));
        var checkpoint = CheckpointFolder.Load(Path.Combine(run, "checkpoint")).Checkpoint;
        string epochs = (checkpoint.Epoch + 2).ToString(CultureInfo.InvariantCulture);

        var (resumedCode, _) = CliRunner.Run("train", "--resume", run, "--epochs", epochs);
        CliRunner.Run("train", "--epochs", epochs, "--out", Path.Combine(_folder, "whole"));

        Assert.Equal(0, resumedCode);
        foreach (string file in new[] { "metrics.csv", "steps.jsonl" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(_folder, "whole", file)), File.ReadAllText(Path.Combine(run, file)));
        }
    }

    [Fact]
    public void A_signal_while_the_data_loads_exits_130_saying_nothing_was_trained_and_leaves_no_output_folder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string data = Path.Combine(_folder, "large.csv");
        WriteLargeCsv(data);
        string run = Path.Combine(_folder, "run");
        var output = new System.Text.StringBuilder();
        using var process = SignalledRun.StartCli(["train", "--data", data, "--out", run], output);
        var clock = Stopwatch.StartNew();
        // Loading: the process has the data file open.
        while (!HasOpen(process, data))
        {
            Assert.False(process.HasExited, $"The run ended before it opened the data:\n{output}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The data was not opened within a minute.");
            Thread.Sleep(1);
        }

        SignalledRun.Send(process, "INT");

        Assert.True(process.WaitForExit(120_000), $"The run did not stop:\n{output}");
        // The timed wait does not wait for the output still in flight; the untimed one does.
        process.WaitForExit();
        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit {process.ExitCode}:\n{output}");
        string flat = string.Join(' ', output.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Interrupted by SIGINT while loading: nothing was trained, and no output folder was written.", flat);
        Assert.False(Directory.Exists(run));
    }

    /// <summary>Whether <paramref name="process"/> has <paramref name="path"/> open, as /proc lists its file descriptors.</summary>
    private static bool HasOpen(Process process, string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{process.Id}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process is starting or ending, or a descriptor closed while listed.
            return false;
        }
    }

    /// <summary>A CSV large enough (about 40 MB) that loading it takes a while.</summary>
    private static void WriteLargeCsv(string path)
    {
        using var writer = new StreamWriter(path);
        writer.Write("a,b,c,d,e,f,g,h,i,j,label\n");
        var random = new Random(7);
        for (int row = 0; row < 400_000; row++)
        {
            for (int column = 0; column < 10; column++)
            {
                writer.Write(random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture));
                writer.Write(",");
            }
            writer.Write(row % 3 == 0 ? "x\n" : "y\n");
        }
    }

    /// <summary>Starts a long run of the built CLI, waits for its first checkpoint, sends the signal and waits for the exit.</summary>
    private static (int ExitCode, string Output) InterruptTraining(string folder, string signal) =>
        SignalledRun.Interrupt(["train", "--epochs", "1000", "--out", folder, "--checkpoint-every", "1"],
            () => File.Exists(Path.Combine(folder, "checkpoint", CheckpointFolder.MarkerFile)), "its first checkpoint", signal);
}
