using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GradClip.Benchmarks.Peer;

namespace GradClip.Benchmarks;

/// <summary>
/// One training step of each of the side-by-side runner's models (forward, loss, backward, clip_grad_norm_, optimizer
/// step, zero_grad), with BenchmarkDotNet's memory diagnoser: its Allocated column is the steady-state allocation per
/// step, and its Gen0/Gen1/Gen2 columns the collections that allocation causes.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EngineStepBenchmarks
{
    private PeerModel _model = null!;

    /// <summary>The model, by the runner's name for it.</summary>
    [Params("mlp-small", "mlp-wide", "lstm", "transformer")]
    public string Model { get; set; } = "";

    /// <summary>Warm-up until the tiered JIT is done, then a short measurement: the allocation per step is exact either way.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Creates the configuration.</summary>
        public Config() =>
            AddJob(Job.Default.WithWarmupCount(10).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance));
    }

    [GlobalSetup]
    public void Setup() => _model = PeerModel.Create(Model);

    [Benchmark]
    public long Step() => _model.Step().BackwardEnd;
}
