using GradClip.Distributed;

namespace GradClip.Tests.Distributed;

/// <summary>
/// A job of several ranks as threads of this process, for testing what runs over a communicator without mpirun: every
/// collective posts this rank's buffer, waits for all, and reads the others' in rank order.
/// </summary>
internal sealed class ThreadCommunicator : ICommunicator
{
    private readonly Group _group;

    private ThreadCommunicator(Group group, int rank) => (_group, Rank) = (group, rank);

    public int Rank { get; }

    public int Size => _group.Posted.Length;

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> ranks at once and returns each rank's result, in rank order.</summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var group = new Group(size);
        var results = new T[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() => results[rank] = body(new ThreadCommunicator(group, rank)))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return results;
    }

    public void AllGather(ReadOnlySpan<float> mine, Span<float> all) => Gather(mine, all);

    public void AllGather(ReadOnlySpan<double> mine, Span<double> all) => Gather(mine, all);

    public void AllReduce(Span<float> buffer, ReduceOp op) => Reduce(buffer, op, (a, b) => a + b, MathF.Max);

    public void AllReduce(Span<double> buffer, ReduceOp op) => Reduce(buffer, op, (a, b) => a + b, Math.Max);

    public bool Any(bool flag)
    {
        Span<double> value = [flag ? 1 : 0];
        AllReduce(value, ReduceOp.Max);
        return value[0] > 0;
    }

    public void Barrier() => _group.Barrier.SignalAndWait();

    public void Abort(int exitCode) => throw new InvalidOperationException($"rank {Rank} aborted with {exitCode}");

    public void Dispose()
    {
    }

    private void Reduce<T>(Span<T> buffer, ReduceOp op, Func<T, T, T> sum, Func<T, T, T> max)
    {
        var all = new T[buffer.Length * Size];
        Gather<T>(buffer, all);
        for (int i = 0; i < buffer.Length; i++)
        {
            T value = all[i];
            for (int rank = 1; rank < Size; rank++)
            {
                value = op == ReduceOp.Sum ? sum(value, all[rank * buffer.Length + i]) : max(value, all[rank * buffer.Length + i]);
            }
            buffer[i] = value;
        }
    }

    private void Gather<T>(ReadOnlySpan<T> mine, Span<T> all)
    {
        _group.Posted[Rank] = mine.ToArray();
        _group.Barrier.SignalAndWait();
        for (int rank = 0; rank < Size; rank++)
        {
            ((T[])_group.Posted[rank]!).CopyTo(all.Slice(rank * mine.Length, mine.Length));
        }
        _group.Barrier.SignalAndWait();
    }

    private sealed class Group(int size)
    {
        public object?[] Posted { get; } = new object?[size];

        public System.Threading.Barrier Barrier { get; } = new(size);
    }
}
