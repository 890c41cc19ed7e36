using System.Diagnostics;
using System.Globalization;

namespace GradClip.Cli.Tests;

/// <summary>Runs the built CLI as a real process, sends it a signal once a condition holds, and waits for it to exit.</summary>
internal static class SignalledRun
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts <c>gradclip</c> with <paramref name="arguments"/>, waits until <paramref name="ready"/> (described by
    /// <paramref name="readiness"/> in failures), sends SIG<paramref name="signal"/> with kill(1), and returns the exit code
    /// and everything the process wrote.
    /// </summary>
    public static (int ExitCode, string Output) Interrupt(string[] arguments, Func<bool> ready, string readiness, string signal)
    {
        var output = new System.Text.StringBuilder();
        using var process = StartCli(arguments, output);
        try
        {
            var clock = Stopwatch.StartNew();
            while (!ready())
            {
                Assert.False(process.HasExited, $"The run ended before {readiness}:\n{Text(output)}");
                Assert.True(clock.Elapsed < Patience, $"Not {readiness} within a minute.");
                Thread.Sleep(20);
            }
            Send(process, signal);
            Assert.True(process.WaitForExit(Patience), $"The run did not stop within a minute of SIG{signal}:\n{Text(output)}");
            process.WaitForExit();
            return (process.ExitCode, Text(output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Starts the built <c>gradclip</c> with <paramref name="arguments"/>, collecting what it writes into <paramref name="output"/>.</summary>
    public static Process StartCli(string[] arguments, System.Text.StringBuilder output)
    {
        var process = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "GradClip.Cli.dll"), .. arguments]);
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Sends SIG<paramref name="signal"/> to <paramref name="process"/> with kill(1) (which fails harmlessly once it has ended).</summary>
    public static void Send(Process process, string signal)
    {
        using var kill = Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(kill.WaitForExit(Patience), "kill did not return.");
    }

    private static Process Start(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    /// <summary>The output so far, read under the lock the output handlers append under.</summary>
    private static string Text(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
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
