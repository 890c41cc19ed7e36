using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace GradClip.Benchmarks.Crash;

/// <summary>The built <c>gradclip</c> as a child process: started, signalled with kill(2) at once, waited for.</summary>
internal static class CliProcess
{
    /// <summary>Signal numbers on Linux.</summary>
    public static readonly IReadOnlyDictionary<string, int> Signals = new Dictionary<string, int> { ["INT"] = 2, ["KILL"] = 9, ["TERM"] = 15 };

    /// <summary>
    /// Starts <c>gradclip</c> with <paramref name="arguments"/>, under the command <paramref name="wrapper"/> when given
    /// (e.g. <c>/usr/bin/time -f ...</c>), collecting its output into <paramref name="output"/>.
    /// </summary>
    public static Process Start(IEnumerable<string> arguments, StringBuilder output, IReadOnlyList<string>? wrapper = null)
    {
        string[] command = [.. wrapper ?? [], "dotnet", Path.Combine(AppContext.BaseDirectory, "GradClip.Cli.dll"), .. arguments];
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in command[1..])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start gradclip.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs <c>gradclip</c> to its end; returns the exit code and its output.</summary>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, IReadOnlyList<string>? wrapper = null)
    {
        var output = new StringBuilder();
        using var process = Start(arguments, output, wrapper);
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Sends SIG<paramref name="signal"/> to <paramref name="process"/> at once (no kill(1) to start first).</summary>
    public static void Send(Process process, string signal) => _ = Kill(process.Id, Signals[signal]);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
