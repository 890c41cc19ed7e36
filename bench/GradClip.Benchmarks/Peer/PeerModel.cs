using GradClip.Clipping;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Benchmarks.Peer;

/// <summary>
/// One of the side-by-side runner's models in GradClip, with its input, loss and optimizer: the same shapes, losses and
/// optimizers as <c>torch_steps.py</c> builds in PyTorch.
/// </summary>
internal sealed class PeerModel
{
    private readonly Func<(long ForwardEnd, long BackwardEnd)> _step;

    private PeerModel(Func<(long ForwardEnd, long BackwardEnd)> step) => _step = step;

    /// <summary>The names the runner and the PyTorch script share, in the order the runner prints them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp-small", "mlp-wide", "lstm", "transformer", "clip-value"];

    /// <summary>The gradient elements of the clip-by-value case: 64 Mi floats (256 MiB), far beyond the caches.</summary>
    private const int ClipValueElements = 64 << 20;

    /// <summary>What each model is, for the runner's table.</summary>
    public static string Describe(string name) => name switch
    {
        "mlp-small" => "MLP 10-64-32-3, batch 32, Adam",
        "mlp-wide" => "MLP 64-256-256-10, batch 128, Adam",
        "lstm" => "LSTM 1→64, 50 steps, batch 32, SGD",
        "transformer" => "Transformer block d 64, 4 heads, T 64, batch 16, Adam",
        "clip-value" => "clip_grad_value_(0.5) alone, one gradient of 64 Mi floats (no forward or backward)",
        _ => throw new ArgumentException($"Unknown model '{name}': expected {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Builds the named model with weights and data drawn from one seeded generator.</summary>
    public static PeerModel Create(string name)
    {
        var random = new Generator(0);
        return name switch
        {
            "mlp-small" => Classifier([10, 64, 32, 3], 32, random),
            "mlp-wide" => Classifier([64, 256, 256, 10], 128, random),
            "lstm" => Training(
                new SequenceNetwork(RecurrentCell.Lstm, 1, 64, 1, random),
                p => new Sgd(p, 0.01),
                Tensor.Randn(random, [32, 50]),
                Regression(Tensor.Randn(random, [32, 1]))),
            "transformer" => Training(
                new TransformerBlock(64, 4, 256, random),
                p => new Adam(p, 1e-3),
                Tensor.Randn(random, [16, 64, 64]),
                Regression(Tensor.Randn(random, [16, 64, 64]))),
            "clip-value" => ClipValue(random),
            _ => throw new ArgumentException($"Unknown model '{name}': expected {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>One step: forward and loss, backward, clip_grad_norm_(1.0), optimizer step, zero_grad (or the clip alone); returns the two phases' ends.</summary>
    public (long ForwardEnd, long BackwardEnd) Step() => _step();

    private static PeerModel Training(Module<Tensor, Tensor> model, Func<IEnumerable<Tensor>, Optimizer> optimizerOf, Tensor input, Func<Tensor, Tensor> lossOf)
    {
        Tensor[] parameters = [.. model.Parameters()];
        Optimizer optimizer = optimizerOf(parameters);
        return new PeerModel(() =>
        {
            Tensor loss = lossOf(model.Forward(input));
            long forwardEnd = System.Diagnostics.Stopwatch.GetTimestamp();
            loss.Backward();
            long backwardEnd = System.Diagnostics.Stopwatch.GetTimestamp();
            Clip.GradNorm(parameters, 1.0);
            optimizer.Step();
            optimizer.ZeroGrad();
            return (forwardEnd, backwardEnd);
        });
    }

    /// <summary>Clip by value on one standard-normal gradient: the first step clamps about 62 % of it, every step reads and writes it all.</summary>
    private static PeerModel ClipValue(Generator random)
    {
        Tensor parameter = Tensor.Zeros(ClipValueElements);
        parameter.RequiresGrad = true;
        parameter.Grad = Tensor.Randn(random, [ClipValueElements]);
        Tensor[] parameters = [parameter];
        return new PeerModel(() =>
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Clip.GradValue(parameters, 0.5);
            return (start, start);
        });
    }

    private static PeerModel Classifier(int[] sizes, int batch, Generator random)
    {
        var layers = new List<Module<Tensor, Tensor>>();
        for (int i = 0; i < sizes.Length - 1; i++)
        {
            layers.Add(new Linear(sizes[i], sizes[i + 1], random));
            if (i < sizes.Length - 2)
            {
                layers.Add(new ReLU());
            }
        }
        int classes = sizes[^1];
        int[] labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        return Training(
            new Sequential([.. layers]), p => new Adam(p, 1e-3), Tensor.Randn(random, [batch, sizes[0]]),
            output => Tensor.CrossEntropy(output, labels));
    }

    private static Func<Tensor, Tensor> Regression(Tensor target) => output => Tensor.MseLoss(output, target);
}
