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
    private readonly Module<Tensor, Tensor> _model;
    private readonly Optimizer _optimizer;
    private readonly Tensor _input;
    private readonly Func<Tensor, Tensor> _loss;
    private readonly Tensor[] _parameters;

    private PeerModel(Module<Tensor, Tensor> model, Func<IEnumerable<Tensor>, Optimizer> optimizer, Tensor input, Func<Tensor, Tensor> loss)
    {
        _model = model;
        _parameters = [.. model.Parameters()];
        _optimizer = optimizer(_parameters);
        _input = input;
        _loss = loss;
    }

    /// <summary>The names the runner and the PyTorch script share, in the order the runner prints them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp-small", "mlp-wide", "lstm", "transformer"];

    /// <summary>What each model is, for the runner's table.</summary>
    public static string Describe(string name) => name switch
    {
        "mlp-small" => "MLP 10-64-32-3, batch 32, Adam",
        "mlp-wide" => "MLP 64-256-256-10, batch 128, Adam",
        "lstm" => "LSTM 1→64, 50 steps, batch 32, SGD",
        "transformer" => "Transformer block d 64, 4 heads, T 64, batch 16, Adam",
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
            "lstm" => new PeerModel(
                new SequenceNetwork(RecurrentCell.Lstm, 1, 64, 1, random),
                p => new Sgd(p, 0.01),
                Tensor.Randn(random, [32, 50]),
                Regression(Tensor.Randn(random, [32, 1]))),
            "transformer" => new PeerModel(
                new TransformerBlock(64, 4, 256, random),
                p => new Adam(p, 1e-3),
                Tensor.Randn(random, [16, 64, 64]),
                Regression(Tensor.Randn(random, [16, 64, 64]))),
            _ => throw new ArgumentException($"Unknown model '{name}': expected {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>One training step: forward and loss, backward, clip_grad_norm_(1.0), optimizer step, zero_grad; returns the two phases' ends.</summary>
    public (long ForwardEnd, long BackwardEnd) Step()
    {
        Tensor loss = _loss(_model.Forward(_input));
        long forwardEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        loss.Backward();
        long backwardEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        Clip.GradNorm(_parameters, 1.0);
        _optimizer.Step();
        _optimizer.ZeroGrad();
        return (forwardEnd, backwardEnd);
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
        return new PeerModel(
            new Sequential([.. layers]), p => new Adam(p, 1e-3), Tensor.Randn(random, [batch, sizes[0]]),
            output => Tensor.CrossEntropy(output, labels));
    }

    private static Func<Tensor, Tensor> Regression(Tensor target) => output => Tensor.MseLoss(output, target);
}
