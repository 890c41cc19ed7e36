using System.Runtime.InteropServices;

namespace GradClip.Cli.Train;

/// <summary>
/// While a run trains, turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so that the run can finish its
/// step and write a checkpoint, instead of the process ending at once; a second signal ends it as usual.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
    }

    /// <summary>Cancelled when the first signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that stopped the run, or null while none has.</summary>
    public PosixSignal? Received { get; private set; }

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
