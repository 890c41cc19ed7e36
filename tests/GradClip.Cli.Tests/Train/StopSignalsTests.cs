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

    /// <summary>Starts a long run of the built CLI, waits for its first checkpoint, sends the signal and waits for the exit.</summary>
    private static (int ExitCode, string Output) InterruptTraining(string folder, string signal) =>
        SignalledRun.Interrupt(["train", "--epochs", "1000", "--out", folder, "--checkpoint-every", "1"],
            () => File.Exists(Path.Combine(folder, "checkpoint", CheckpointFolder.MarkerFile)), "its first checkpoint", signal);
}
