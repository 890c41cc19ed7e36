using System.Runtime.InteropServices;
using GradClip.Distributed;

namespace GradClip.Cli.Train;

/// <summary>
/// While a run trains, turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so that the run can finish its
/// step and write a checkpoint, instead of the process ending at once; a second signal ends it as usual.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
    }

    /// <summary>Listens for <paramref name="signal"/> too (the one a launcher forwards to the ranks of a job).</summary>
    public void Also(PosixSignal signal) => _registrations.Add(PosixSignalRegistration.Create(signal, Stop));

    /// <summary>Cancelled when the first signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that stopped the run, or null while none has.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>
    /// The name of <paramref name="signal"/> in messages; for none, the stop of a data-parallel job that another rank got.
    /// </summary>
    public static string Name(PosixSignal? signal) => signal switch
    {
        null => "a stop another rank received",
        MpiLauncher.StopSignal => "SIGUSR1 (a stop forwarded by mpirun)",
        { } known => known.ToString(),
    };

    /// <summary>Stops listening; later signals end the process as usual.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _source.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        if (Received is not null)
        {
            return;
        }
        Received = context.Signal;
        context.Cancel = true;
        _source.Cancel();
    }
}
