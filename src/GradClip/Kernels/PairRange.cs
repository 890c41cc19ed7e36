namespace GradClip.Kernels;

/// <summary>
/// Runs independent pieces of work [0, count) on the calling thread and the <see cref="PairWorker"/>, one half each,
/// or all on the calling thread when the worker is busy, asleep for small work, or <see cref="Threads.NumThreads"/> is
/// 1. Each piece is computed the same way wherever it runs, so the result does not depend on the split.
/// </summary>
internal static class PairRange
{
    /// <summary>Calls <paramref name="body"/>(start, end) over halves of [0, <paramref name="count"/>); <paramref name="large"/> lets it wake a sleeping worker.</summary>
    public static void For(int count, bool large, Action<int, int> body)
    {
        PairWorker worker = PairWorker.Shared;
        if (count < 2 || !worker.TryAcquire(wake: large))
        {
            body(0, count);
            return;
        }
        int half = (count + 1) / 2;
        worker.Post(new RangeJob(body, half, count));
        try
        {
            body(0, half);
        }
        finally
        {
            try
            {
                worker.Complete();
            }
            finally
            {
                worker.Release();
            }
        }
    }

    private sealed class RangeJob(Action<int, int> body, int start, int end) : PairJob
    {
        public override void RunSecondHalf() => body(start, end);
    }
}
