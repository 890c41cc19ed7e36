using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Training;
using System.Diagnostics;
using System.Globalization;

namespace GradClip.Cli.Tests.Train;

/// <summary>Ctrl+C and SIGTERM sent to a real gradclip process while it trains.</summary>
public sealed class StopSignalsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

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
    private static (int ExitCode, string Output) InterruptTraining(string folder, string signal)
    {
        var output = new System.Text.StringBuilder();
        using var process = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "GradClip.Cli.dll"), "train", "--epochs", "1000", "--out", folder, "--checkpoint-every", "1"]);
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(folder, "checkpoint", CheckpointFolder.MarkerFile)))
            {
                Assert.False(process.HasExited, $"The run ended before its first checkpoint:\n{output}");
                Assert.True(clock.Elapsed < Patience, "No checkpoint appeared within a minute.");
                Thread.Sleep(20);
            }
            using (var kill = Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                Assert.True(kill.WaitForExit(Patience), "kill did not return.");
            }
            Assert.True(process.WaitForExit(Patience), $"The run did not stop within a minute of SIG{signal}:\n{output}");
            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process Start(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
