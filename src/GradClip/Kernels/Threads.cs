namespace GradClip.Kernels;

/// <summary>
/// How many threads the engine's kernels may use, as PyTorch's <c>torch.set_num_threads</c>: 1 keeps every product
/// and reduction on the calling thread; 2 or more lets large ones share the work with one worker thread (the engine
/// uses at most two). Results are bit-identical whatever the setting.
/// </summary>
public static class Threads
{
    private static int _numThreads = Math.Min(Environment.ProcessorCount, 2);

    /// <summary>The number of threads kernels may use; at first the smaller of the processor count and 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is below 1.</exception>
    public static int NumThreads
    {
        get => Volatile.Read(ref _numThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(NumThreads));
            Volatile.Write(ref _numThreads, value);
        }
    }
}
