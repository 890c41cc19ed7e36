using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Kernels;
using GradClip.Optim;
using GradClip.Training;

namespace GradClip.Benchmarks;

/// <summary>
/// The default <c>gradclip train</c> run in code (built-in data, 10-64-32-3 network, Adam 0.003, clip_grad_norm_ at 1,
/// 20 epochs of 25 steps, validation after each), against its baseline: the same run's matrix products alone, through
/// the same GEMM, with the same shapes and count. The ratio says what the engine (autograd, element-wise ops, losses,
/// the optimizer, clipping and monitoring) costs on top of the arithmetic every implementation must do.
/// </summary>
[Config(typeof(Config))]
public class TrainingBenchmarks
{
    private const int Epochs = 20, BatchSize = 32, Inputs = 10, Hidden1 = 64, Hidden2 = 32, Classes = 3;

    private TabularData _data = null!;
    private DataSplit _split = null!;
    private Standardizer _standardizer = null!;
    private float[] _a = [], _b = [], _c = [];

    /// <summary>A run takes a fifth of a second: ten warm-up runs (for the tiered JIT to finish), then ten measured, one run each.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Creates the configuration.</summary>
        public Config() =>
            AddJob(Job.Default.WithWarmupCount(10).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }

    [GlobalSetup]
    public void Setup()
    {
        _data = BuiltInData.Shells(0);
        _split = DataSplit.Create(_data, DataSplit.DefaultValidationFraction, 0);
        _standardizer = Standardizer.Fit(_data, _split.TrainRows.AsSpan());
        int largest = Math.Max(_split.ValidationRows.Length, BatchSize) * Hidden1;
        _a = new float[largest];
        _b = new float[largest];
        _c = new float[largest];
    }

    [Benchmark]
    public TrainingResult DefaultRun()
    {
        var network = new MlpSpec(Inputs, [Hidden1, Hidden2], Classes).Build(0);
        var trainer = new Trainer(network, new Adam(network.Parameters(), 0.003), new ClipByGlobalNorm(1),
            new TrainerOptions(Epochs, BatchSize, Seed: 0));
        return trainer.Fit(_data, _split, _standardizer);
    }

    [Benchmark(Baseline = true)]
    public float MatrixProductsOnly()
    {
        int steps = (_split.TrainRows.Length + BatchSize - 1) / BatchSize;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            for (int step = 0; step < steps; step++)
            {
                int rows = Math.Min(BatchSize, _split.TrainRows.Length - step * BatchSize);
                Forward(rows);
                Backward(rows);
            }
            Forward(_split.ValidationRows.Length);
        }
        return _c[0];
    }

    /// <summary>The three layers' products x·Wᵀ.</summary>
    private void Forward(int rows)
    {
        Product(rows, Inputs, Hidden1, transposeA: false, transposeB: true);
        Product(rows, Hidden1, Hidden2, transposeA: false, transposeB: true);
        Product(rows, Hidden2, Classes, transposeA: false, transposeB: true);
    }

    /// <summary>Each layer's weight gradient gᵀ·x, and the input gradient g·W of the two layers whose input needs one.</summary>
    private void Backward(int rows)
    {
        Product(Classes, rows, Hidden2, transposeA: true, transposeB: false);
        Product(rows, Classes, Hidden2, transposeA: false, transposeB: false);
        Product(Hidden2, rows, Hidden1, transposeA: true, transposeB: false);
        Product(rows, Hidden2, Hidden1, transposeA: false, transposeB: false);
        Product(Hidden1, rows, Inputs, transposeA: true, transposeB: false);
    }

    private void Product(int m, int k, int n, bool transposeA, bool transposeB) =>
        Gemm.Multiply(_a.AsMemory(0, m * k), _b.AsMemory(0, k * n), _c.AsMemory(0, m * n), m, k, n, transposeA, transposeB);
}
