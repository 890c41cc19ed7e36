using BenchmarkDotNet.Attributes;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Training;

namespace GradClip.Benchmarks;

/// <summary>
/// What monitoring costs inside a training step: a step that clips with <see cref="Clip.GradNorm"/> (the baseline)
/// against the same step clipped through a <see cref="GradientMonitor"/>, which also records the norms before and after,
/// the coefficient and every parameter's norm. Two models: the default <c>gradclip train</c> network on a batch of the
/// built-in data, and an LSTM over 20 steps.
/// </summary>
/// <remarks>The ratio Monitored / Baseline − 1 is the monitoring overhead; the target is under 2 %.</remarks>
[Config(typeof(MonitoringCostBenchmarks.LongWarmupConfig))]
public class MonitoringCostBenchmarks
{
    private const int MonitorLifetime = 1000;

    private Func<Tensor> _loss = null!;
    private List<Tensor> _parameters = [];
    private Optimizer _optimizer = null!;
    private GradientMonitor _monitor = null!;

    /// <summary>
    /// The short run's settings with 40 warm-up iterations: a training step calls dozens of methods, and they must all
    /// have been recompiled at full optimization (tiered JIT) before either variant is timed, or the first one pays for it.
    /// </summary>
    public sealed class LongWarmupConfig : ShortRunConfig
    {
        /// <summary>Creates the configuration.</summary>
        public LongWarmupConfig()
            : base(warmupCount: 40)
        {
        }
    }

    /// <summary>The model trained in the step.</summary>
    public enum Model
    {
        /// <summary>10-64-32-3 ReLU network, batch 32 of the built-in data.</summary>
        DefaultMlp,

        /// <summary>LSTM (16 inputs, 64 hidden) over 20 steps, batch 16, linear head, mean squared error.</summary>
        Lstm,
    }

    [Params(Model.DefaultMlp, Model.Lstm)]
    public Model Network { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        if (Network == Model.DefaultMlp)
        {
            var data = BuiltInData.Shells(0);
            var mlp = new MlpSpec(data.FeatureCount, [64, 32], data.ClassCount).Build(0);
            var x = Tensor.FromArray(data.Features.AsSpan(0, 32 * data.FeatureCount).ToArray(), 32, data.FeatureCount);
            int[] labels = data.Labels.AsSpan(0, 32).ToArray();
            _loss = () => Tensor.CrossEntropy(mlp.Forward(x), labels);
            _parameters = mlp.Parameters().ToList();
        }
        else
        {
            var lstm = new LSTM(16, 64, random);
            var head = new Linear(64, 1, random);
            var x = Tensor.Randn(random, 16, 20, 16);
            var y = Tensor.Randn(random, 16, 1);
            _loss = () => Tensor.MseLoss(head.Forward(lstm.Forward(x).Output.Narrow(1, 19, 1).Reshape(16, 64)), y);
            _parameters = lstm.Parameters().Concat(head.Parameters()).ToList();
        }
        _optimizer = new Sgd(_parameters, 1e-3);
        _monitor = new GradientMonitor(new ClipByGlobalNorm(1));
    }

    /// <summary>Forward, Backward, Clip.GradNorm, Step.</summary>
    [Benchmark(Baseline = true)]
    public double Baseline()
    {
        var loss = _loss();
        loss.Backward();
        double norm = Clip.GradNorm(_parameters, 1);
        _optimizer.Step();
        _optimizer.ZeroGrad();
        return norm;
    }

    /// <summary>Forward, Backward, clip and record through a GradientMonitor, Step.</summary>
    [Benchmark]
    public double Monitored()
    {
        var loss = _loss();
        loss.Backward();
        var record = _monitor.Step(_parameters, loss.Item(), _optimizer.LearningRate);
        _optimizer.Step();
        _optimizer.ZeroGrad();
        if (_monitor.Steps.Count == MonitorLifetime)
        {
            // A fresh monitor now and then keeps the record list the size of a short run, as in training.
            _monitor = new GradientMonitor(_monitor.Clipping);
        }
        return record.NormBefore;
    }
}
