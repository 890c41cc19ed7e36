using System.Diagnostics;
using System.Globalization;

namespace GradClip.Benchmarks.Peer;

/// <summary>
/// GradClip's side of the side-by-side runner, run as its own process: warms one model up, times its training steps
/// and prints <c>result MODEL STEP_MS FORWARD_MS BACKWARD_MS CPU_MS</c>: the first three the median over the timed
/// steps, the last the process's processor time over them per step, as <c>torch_steps.py</c> does for PyTorch.
/// </summary>
internal static class PeerSteps
{
    /// <summary>
    /// Warm-up lasts at least this long, so that the tiered JIT has compiled the step's code optimised: after 1.5 s about
    /// half the Transformer processes still ran instrumented or unoptimised kernels (12.8-20.7 ms a step, processor time
    /// twice the wall time as the JIT compiled in the background, against 7.0-8.0 ms once optimised; quiet 2-core EPYC).
    /// </summary>
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(5);

    /// <summary>Runs <c>engine-steps MODEL THREADS WARMUP STEPS</c>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        if (args is not [string name, string threadsText, string warmupText, string stepsText])
        {
            Console.Error.WriteLine("usage: engine-steps MODEL THREADS WARMUP STEPS");
            return 2;
        }
        Kernels.Threads.NumThreads = int.Parse(threadsText, CultureInfo.InvariantCulture);
        int warmup = int.Parse(warmupText, CultureInfo.InvariantCulture);
        int steps = int.Parse(stepsText, CultureInfo.InvariantCulture);
        PeerModel model = PeerModel.Create(name);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < warmup || clock.Elapsed < MinimumWarmup; i++)
        {
            model.Step();
        }
        var totals = new double[steps];
        var forwards = new double[steps];
        var backwards = new double[steps];
        TimeSpan processorStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            (long forwardEnd, long backwardEnd) = model.Step();
            long end = Stopwatch.GetTimestamp();
            totals[i] = Milliseconds(start, end);
            forwards[i] = Milliseconds(start, forwardEnd);
            backwards[i] = Milliseconds(forwardEnd, backwardEnd);
        }
        double processor = (Process.GetCurrentProcess().TotalProcessorTime - processorStart).TotalMilliseconds / steps;
        if (Environment.GetEnvironmentVariable("GRADCLIP_PROFILE") == "1")
        {
            using var profile = Autograd.OpProfiler.Start();
            long allocated = GC.GetTotalAllocatedBytes();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            TimeSpan pause = GC.GetTotalPauseDuration();
            for (int i = 0; i < steps; i++)
            {
                model.Step();
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{steps} steps; per step {(GC.GetTotalAllocatedBytes() - allocated) / 1e6 / steps:F2} MB allocated; collections gen0 {GC.CollectionCount(0) - collections[0]}, " +
                $"gen1 {GC.CollectionCount(1) - collections[1]}, gen2 {GC.CollectionCount(2) - collections[2]}; pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms:"));
            Console.Error.Write(profile.Format());
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result {name} {Median(totals):F4} {Median(forwards):F4} {Median(backwards):F4} {processor:F4}"));
        return 0;
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double Milliseconds(long start, long end) => (end - start) * 1000.0 / Stopwatch.Frequency;
}
