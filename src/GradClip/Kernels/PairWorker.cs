using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace GradClip.Kernels;

/// <summary>The half of a two-thread job that the worker thread runs.</summary>
internal abstract class PairJob
{
    /// <summary>Runs the second half; called once per post, on the worker or, if it has not started it yet, on the caller.</summary>
    public abstract void RunSecondHalf();
}

/// <summary>
/// One persistent background thread that runs the second half of a job while the caller runs the first: a dispatch costs
/// well under a microsecond when the worker is awake, where <c>Parallel.For</c> costs about 2 µs.
/// </summary>
/// <remarks>
/// <para>
/// After a job the worker polls for the next one for <see cref="SpinTime"/> (a norm pass is followed at once by a scale
/// pass), yielding the processor every few microseconds, then sleeps on an event. Waking it costs the caller a system
/// call (3–10 µs measured on this 2-vCPU machine), and the scheduler often wakes it on the caller's own processor, where
/// it cannot start until the caller is done: a caller that finishes its half before the worker has claimed the job runs
/// the job itself, so a sleeping worker costs at most the wake-up. <c>MultiTensor</c> wakes it for large calls only.
/// </para>
/// <para>
/// One caller at a time holds the worker (<see cref="TryAcquire"/> to <see cref="Release"/>); others, and callers with a
/// small job while the worker sleeps, run both halves themselves. Either way each half computes the same thing, so
/// results do not depend on which thread ran what.
/// </para>
/// </remarks>
internal sealed class PairWorker
{
    private const int Idle = 0, Posted = 1, Running = 2, Done = 3;

    /// <summary>How long the worker polls for the next job before it sleeps, and the caller for the worker's half before it backs off.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 20_000; // 50 µs

    /// <summary>How often a polling thread yields the processor.</summary>
    private static readonly long YieldInterval = Stopwatch.Frequency / 250_000; // 4 µs

    private readonly ManualResetEventSlim _wake = new(initialState: false, spinCount: 1);
    private int _held;
    private int _state;
    private int _sleeping;
    private PairJob? _job;
    private ExceptionDispatchInfo? _failure;

    private PairWorker()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "GradClip kernel worker" };
        thread.Start();
    }

    /// <summary>The process's worker, started on first use.</summary>
    public static PairWorker Shared { get; } = new();

    /// <summary>
    /// Takes the worker for one job; false (then run both halves yourself) when <see cref="Threads.NumThreads"/> is 1,
    /// when another caller holds it, or when it is asleep and <paramref name="wake"/> is false: waking it costs a system
    /// call and a scheduler wake-up, several microseconds, worth it for large jobs only.
    /// </summary>
    public bool TryAcquire(bool wake) =>
        Threads.NumThreads >= 2 && (wake || Volatile.Read(ref _sleeping) == 0) && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>Hands <paramref name="job"/>'s second half to the worker; the caller holds the worker.</summary>
    public void Post(PairJob job)
    {
        _job = job;
        _failure = null;
        Interlocked.Exchange(ref _state, Posted); // a full fence: the read of _sleeping below cannot move above it
        if (Volatile.Read(ref _sleeping) != 0)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// Once the caller's half is done: runs the second half here if the worker has not claimed it, else waits for it to
    /// finish; rethrows what the second half threw. The caller still holds the worker (to read the job's results).
    /// </summary>
    public void Complete()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Posted) == Posted)
        {
            _job!.RunSecondHalf();
            return;
        }
        // The worker started its half at about the time the caller started its own, so it is usually about to finish:
        // poll closely first (SpinWait's growing spins and yields would overshoot by microseconds), then back off.
        if (!Poll(ref _state, Done, SpinTime))
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _state) != Done)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        Volatile.Write(ref _state, Idle);
        _failure?.Throw();
    }

    /// <summary>Gives the worker back after <see cref="Complete"/>.</summary>
    public void Release()
    {
        _job = null;
        Volatile.Write(ref _held, 0);
    }

    private void Loop()
    {
        while (true)
        {
            WaitForPost();
            if (Interlocked.CompareExchange(ref _state, Running, Posted) != Posted)
            {
                continue; // the caller ran it itself
            }
            try
            {
                _job!.RunSecondHalf();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            Volatile.Write(ref _state, Done);
        }
    }

    private void WaitForPost()
    {
        while (!Poll(ref _state, Posted, SpinTime))
        {
            _wake.Reset();
            Interlocked.Exchange(ref _sleeping, 1); // a full fence, paired with Post's
            if (Volatile.Read(ref _state) != Posted)
            {
                _wake.Wait();
            }
            Volatile.Write(ref _sleeping, 0);
        }
    }

    /// <summary>
    /// Polls until <paramref name="state"/> is <paramref name="value"/> (true) or <paramref name="time"/> has passed
    /// (false), yielding the processor every few microseconds: the scheduler sometimes wakes the worker on the caller's
    /// processor, and then either thread spinning without a break would hold up the other.
    /// </summary>
    private static bool Poll(ref int state, int value, long time)
    {
        long now = Stopwatch.GetTimestamp();
        long until = now + time;
        long nextYield = now + YieldInterval;
        while (Volatile.Read(ref state) != value)
        {
            now = Stopwatch.GetTimestamp();
            if (now >= until)
            {
                return false;
            }
            if (now >= nextYield)
            {
                Thread.Yield();
                nextYield = now + YieldInterval;
            }
            else
            {
                Thread.SpinWait(1);
            }
        }
        return true;
    }
}
