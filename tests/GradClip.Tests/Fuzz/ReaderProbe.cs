using CsCheck;

namespace GradClip.Tests.Fuzz;

/// <summary>
/// Runs one read of one input on its own thread and fails the test unless the read returns, or throws the reader's
/// documented exception, within <see cref="TimeLimit"/> and without allocating more than the input can justify.
/// </summary>
internal static class ReaderProbe
{
    /// <summary>How long one read of one small input may take before it counts as a hang (generous: inputs are at most a few kB).</summary>
    public static TimeSpan TimeLimit { get; } = TimeSpan.FromSeconds(2);

    /// <summary>What any read may allocate regardless of its input: buffers, parsers, the result's objects.</summary>
    public const long FixedAllocation = 4 << 20;

    /// <summary>What a read may allocate in addition for each byte of input.</summary>
    public const long AllocationPerInputByte = 64;

    /// <summary>Reads <paramref name="input"/> with <paramref name="read"/> and asserts the bounds; returns whether it was accepted.</summary>
    public static bool Check<TException>(byte[] input, Action<byte[]> read)
        where TException : Exception
    {
        Exception? error = null;
        long allocated = 0;
        var worker = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(input);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        { IsBackground = true };
        worker.Start();
        if (!worker.Join(TimeLimit))
        {
            Assert.Fail($"The read ran longer than {TimeLimit.TotalSeconds} s on {Mutations.Show(input)}");
        }
        if (error is not null and not TException)
        {
            Assert.Fail($"The read threw {error.GetType().Name}, not {typeof(TException).Name}, on {Mutations.Show(input)}:\n{error}");
        }
        long bound = FixedAllocation + AllocationPerInputByte * input.Length;
        Assert.True(allocated < bound, $"The read allocated {allocated} bytes, more than the {bound} allowed, on {Mutations.Show(input)}");
        return error is null;
    }

    /// <summary>How many inputs a fuzz property reads unless told otherwise.</summary>
    public const int Iterations = 3_000;

    /// <summary>Checks <paramref name="iterations"/> inputs from <paramref name="inputs"/> on one thread; a failure is shrunk and shown.</summary>
    public static void Sample<TException>(Gen<byte[]> inputs, Action<byte[]> read, int iterations = Iterations)
        where TException : Exception =>
        inputs.Sample(input => { Check<TException>(input, read); }, iter: iterations, threads: 1, print: Mutations.Show);
}
