using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace GradClip.Benchmarks;

/// <summary>3 warm-up and 10 measured iterations of about 250 ms each: the clipping suite runs in a few minutes.</summary>
public class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        AddJob(Job.Default
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250)));
    }
}
