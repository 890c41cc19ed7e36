namespace GradClip.Distributed;

/// <summary>A job of one rank in this process: every collective leaves its buffers as they are (PyTorch's world of size 1).</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public void AllReduce(Span<float> buffer, ReduceOp op)
    {
    }

    /// <inheritdoc/>
    public void AllReduce(Span<double> buffer, ReduceOp op)
    {
    }

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<float> mine, Span<float> all) => mine.CopyTo(all);

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<double> mine, Span<double> all) => mine.CopyTo(all);

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public bool Any(bool flag) => flag;

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
