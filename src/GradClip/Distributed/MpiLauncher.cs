using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GradClip.Distributed;

/// <summary>
/// Starts a program on several ranks of this machine with Open MPI's <c>mpirun</c>, and passes a stop on to them: a
/// cancellation becomes SIGUSR1 to <c>mpirun</c>, which forwards it to every rank (SIGTERM it would follow with SIGKILL
/// a second later, too soon for a checkpoint).
/// </summary>
public static class MpiLauncher
{
    /// <summary>The signal <c>mpirun</c> forwards to every rank as it is: the ranks treat it as a request to stop.</summary>
    public const PosixSignal StopSignal = (PosixSignal)10;

    /// <summary>
    /// The <c>mpirun</c> options for <paramref name="ranks"/> ranks here: more ranks than cores allowed, no binding (bound
    /// ranks share one core), UCX kept off .NET's own signal handling, and root allowed when this process is root.
    /// </summary>
    public static IReadOnlyList<string> Options(int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        List<string> options = ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe", "--bind-to", "none", "-x", "UCX_ERROR_SIGNALS="];
        if (Environment.UserName == "root")
        {
            options.Add("--allow-run-as-root");
        }
        return options;
    }

    /// <summary>
    /// Runs <paramref name="program"/> (its path and arguments) on <paramref name="ranks"/> ranks with <c>mpirun</c>, which
    /// writes to this process's output, and returns its exit code; <paramref name="stop"/> asks the ranks to stop.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>mpirun</c> could not be started (Open MPI is not installed).</exception>
    public static int Run(int ranks, IReadOnlyList<string> program, CancellationToken stop)
    {
        var info = new ProcessStartInfo("mpirun", [.. Options(ranks), .. program]) { UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("mpirun did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot start mpirun ({ex.Message}): install Open MPI (Debian: apt-get install openmpi-bin).", ex);
        }
        using (process)
        using (stop.Register(() => Kill(process.Id, (int)StopSignal)))
        {
            process.WaitForExit();
            return process.ExitCode;
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
