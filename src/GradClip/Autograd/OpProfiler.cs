using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace GradClip.Autograd;

/// <summary>
/// A simple per-op profiler for the calling thread, in the spirit of <c>torch.profiler</c>: while it is open, every op
/// recorded in the graph and every backward rule run adds its time and the bytes allocated to its op kind.
/// <c>using var profile = OpProfiler.Start(); ...one step...; Console.Write(profile.Format());</c>
/// </summary>
/// <remarks>
/// An op's forward time runs from the end of the previous recorded op (or the start) to its own end, so code between
/// ops, such as a module's own work, counts towards the op after it. Backward time is each node's rule and the
/// accumulation of its gradients; <c>AccumulateGrad</c> is the adding into leaves' Grad. Bytes are what the thread
/// allocated meanwhile, as the runtime counts them.
/// </remarks>
public sealed class OpProfiler : IDisposable
{
    [ThreadStatic]
    private static OpProfiler? _current;

    private readonly Dictionary<(string Op, string Phase), OpProfileEntry> _entries = [];
    private long _markTime;
    private long _markBytes;

    private OpProfiler()
    {
        Mark();
    }

    /// <summary>Starts profiling this thread's ops until the profiler is disposed.</summary>
    /// <exception cref="InvalidOperationException">A profiler is already open on this thread.</exception>
    public static OpProfiler Start()
    {
        if (_current is not null)
        {
            throw new InvalidOperationException("An OpProfiler is already open on this thread; dispose it first.");
        }
        _current = new OpProfiler();
        return _current;
    }

    /// <summary>The profiler open on this thread, or null.</summary>
    internal static OpProfiler? Current => _current;

    /// <summary>Per op kind and phase ("forward" or "backward"): calls, time and bytes allocated, the most time first.</summary>
    public IReadOnlyList<OpProfileEntry> Entries => [.. _entries.Values.OrderByDescending(e => e.Time)];

    /// <summary>The entries as an aligned text table with a total line.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"op",-30} {"phase",-8} {"calls",7} {"ms",10} {"MB",10}");
        foreach (OpProfileEntry e in Entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{e.Op,-30} {e.Phase,-8} {e.Calls,7} {e.Time.TotalMilliseconds,10:F3} {e.Bytes / 1e6,10:F3}");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"total",-30} {"",-8} {_entries.Values.Sum(e => e.Calls),7} {_entries.Values.Sum(e => e.Time.TotalMilliseconds),10:F3} {_entries.Values.Sum(e => e.Bytes) / 1e6,10:F3}");
        return text.ToString();
    }

    /// <summary>Stops profiling; the entries stay readable.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(_current, this))
        {
            _current = null;
        }
    }

    /// <summary>Starts a new measuring window now (before a backward rule, or to leave out work that is no op's).</summary>
    internal void Mark()
    {
        _markTime = Stopwatch.GetTimestamp();
        _markBytes = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Adds the window since the last mark to <paramref name="op"/> in <paramref name="phase"/>, and marks.</summary>
    internal void Add(string op, string phase)
    {
        long time = Stopwatch.GetTimestamp();
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        OpProfileEntry entry = _entries.GetValueOrDefault((op, phase)) ?? new OpProfileEntry(op, phase, 0, TimeSpan.Zero, 0);
        _entries[(op, phase)] = entry with
        {
            Calls = entry.Calls + 1,
            Time = entry.Time + Stopwatch.GetElapsedTime(_markTime, time),
            Bytes = entry.Bytes + (bytes - _markBytes),
        };
        Mark();
    }
}
