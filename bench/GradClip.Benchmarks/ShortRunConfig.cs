using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace GradClip.Benchmarks;

/// <summary>
/// 3 warm-up and 20 measured iterations of about 50 ms each, in the benchmark process itself (no process per case), so
/// that the clipping suite runs in about two minutes and a kernel and its baseline are measured seconds apart; Median
/// and Min beside the Mean, because other work on a shared machine only ever makes an iteration slower (on a busy
/// machine, compare the Min columns).
/// </summary>
public class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
        : this(warmupCount: 3)
    {
    }

    /// <summary>The same settings with another number of warm-up iterations.</summary>
    protected ShortRunConfig(int warmupCount)
    {
        AddJob(Job.Default
            .WithWarmupCount(warmupCount)
            .WithIterationCount(20)
            .WithIterationTime(TimeInterval.FromMilliseconds(50))
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
    }
}
