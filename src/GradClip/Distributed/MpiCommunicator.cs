using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GradClip.Distributed;

/// <summary>
/// The ranks of a job started by Open MPI's <c>mpirun</c>, over <c>MPI_COMM_WORLD</c>. Reductions take a fixed order
/// (MPI's own <c>MPI_SUM</c> lets the library pick it, which changes the bits with more than two ranks): each rank
/// receives its chunk of every buffer (Alltoall), adds them in rank order, and all chunks are gathered (Allgather).
/// </summary>
/// <remarks>MPI is initialized once per process, by <see cref="Initialize"/>, and finalized by <see cref="Dispose"/>.</remarks>
public sealed class MpiCommunicator : ICommunicator
{
    private readonly IntPtr _world;
    private readonly IntPtr _byte;
    private bool _disposed;

    private MpiCommunicator(IntPtr world, IntPtr byteType)
    {
        (_world, _byte) = (world, byteType);
        Check(MpiNative.MPI_Comm_rank(world, out int rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(world, out int size), "MPI_Comm_size");
        (Rank, Size) = (rank, size);
    }

    /// <summary>Initializes MPI in this process (started by <c>mpirun</c>) and returns its communicator over every rank.</summary>
    /// <exception cref="InvalidOperationException">Open MPI is not installed, or MPI was initialized already in this process.</exception>
    public static MpiCommunicator Initialize()
    {
        var handles = MpiNative.Handles(out string? problem) ?? throw new InvalidOperationException(problem);
        Check(MpiNative.MPI_Initialized(out int initialized), "MPI_Initialized");
        if (initialized != 0)
        {
            throw new InvalidOperationException("MPI is initialized already in this process; MPI can be initialized once per process.");
        }
        Check(MpiNative.MPI_Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        return new MpiCommunicator(handles.World, handles.Byte);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public void AllReduce(Span<float> buffer, ReduceOp op) => FixedOrderAllReduce(buffer, op);

    /// <inheritdoc/>
    public void AllReduce(Span<double> buffer, ReduceOp op) => FixedOrderAllReduce(buffer, op);

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<float> mine, Span<float> all) => Gather(mine, all);

    /// <inheritdoc/>
    public void AllGather(ReadOnlySpan<double> mine, Span<double> all) => Gather(mine, all);

    /// <inheritdoc/>
    public void Barrier() => Check(MpiNative.MPI_Barrier(_world), "MPI_Barrier");

    /// <inheritdoc/>
    public bool Any(bool flag)
    {
        Span<double> value = [flag ? 1 : 0];
        AllReduce(value, ReduceOp.Max);
        return value[0] > 0;
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => MpiNative.MPI_Abort(_world, exitCode);

    /// <summary>Finalizes MPI: the last MPI call of this process.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            MpiNative.MPI_Finalize();
        }
    }

    private void FixedOrderAllReduce<T>(Span<T> buffer, ReduceOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunk = (buffer.Length + Size - 1) / Size;
        var send = new T[chunk * Size];
        var receive = new T[chunk * Size];
        buffer.CopyTo(send);
        int bytes = ByteCount<T>(chunk);
        Check(MpiNative.MPI_Alltoall(ref First(send.AsSpan()), bytes, _byte, ref First(receive.AsSpan()), bytes, _byte, _world), "MPI_Alltoall");
        var mine = receive.AsSpan(0, chunk);
        for (int rank = 1; rank < Size; rank++)
        {
            Combine(mine, receive.AsSpan(rank * chunk, chunk), op);
        }
        Check(MpiNative.MPI_Allgather(ref First(mine), bytes, _byte, ref First(send.AsSpan()), bytes, _byte, _world), "MPI_Allgather");
        send.AsSpan(0, buffer.Length).CopyTo(buffer);
    }

    /// <summary>Folds <paramref name="next"/> into <paramref name="sum"/>: element-wise, so the same on every CPU.</summary>
    private static void Combine<T>(Span<T> sum, ReadOnlySpan<T> next, ReduceOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op == ReduceOp.Sum)
        {
            TensorPrimitives.Add(sum, next, sum);
            return;
        }
        for (int i = 0; i < sum.Length; i++)
        {
            // T.Max returns NaN when either is NaN: a NaN on any rank is not hidden by another rank's number.
            sum[i] = T.Max(sum[i], next[i]);
        }
    }

    private void Gather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged
    {
        if (all.Length != mine.Length * Size)
        {
            throw new ArgumentException($"The gathered buffer holds {all.Length} elements; {Size} ranks of {mine.Length} need {mine.Length * Size}.", nameof(all));
        }
        var send = mine.ToArray();
        int bytes = ByteCount<T>(mine.Length);
        Check(MpiNative.MPI_Allgather(ref First(send.AsSpan()), bytes, _byte, ref First(all), bytes, _byte, _world), "MPI_Allgather");
    }

    private static ref byte First<T>(Span<T> span)
        where T : unmanaged => ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(span));

    private static int ByteCount<T>(int elements)
        where T : unmanaged
    {
        long bytes = (long)elements * Marshal.SizeOf<T>();
        return bytes <= int.MaxValue ? (int)bytes
            : throw new ArgumentException($"A collective of {bytes} bytes a rank is more than MPI's int count can say; split the buffer.");
    }

    private static void Check(int code, string function)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{function} failed with MPI error code {code}.");
        }
    }
}
