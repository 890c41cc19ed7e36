using System.Globalization;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>The shape of a feed-forward network: inputs, hidden layer widths (each followed by ReLU, then dropout when asked for), and outputs.</summary>
/// <param name="Inputs">The number of input features.</param>
/// <param name="Hidden">The width of each hidden layer, first to last (none gives a linear model).</param>
/// <param name="Outputs">The number of outputs: classes (logits) for classification, 1 for regression.</param>
/// <param name="Init">How the weights are first drawn (biases always as PyTorch's default).</param>
/// <param name="Dropout">The drop probability of a <see cref="Nn.Dropout"/> after each hidden layer's ReLU, in [0, 1); 0 adds none.</param>
public sealed record MlpSpec(int Inputs, IReadOnlyList<int> Hidden, int Outputs, WeightInit Init = WeightInit.PyTorchDefault, float Dropout = 0) : ModelSpec
{
    /// <inheritdoc/>
    public override int Inputs { get; } = Inputs;

    /// <inheritdoc/>
    public override int Outputs { get; } = Outputs;

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.SmallFeedForward;

    /// <inheritdoc/>
    public override Sequential Build(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Validate();
        var layers = new List<Module<Tensor, Tensor>>();
        int width = Inputs;
        foreach (int hidden in Hidden)
        {
            layers.Add(Layer(width, hidden, generator));
            layers.Add(new ReLU());
            if (Dropout > 0)
            {
                layers.Add(new Dropout(Dropout, generator));
            }
            width = hidden;
        }
        layers.Add(Layer(width, Outputs, generator));
        return new Sequential([.. layers]);
    }

    private Linear Layer(int inputs, int outputs, Generator random)
    {
        var layer = new Linear(inputs, outputs, random);
        if (Init == WeightInit.KaimingNormal)
        {
            Tensor.Randn(random, outputs, inputs).Mul((float)Math.Sqrt(2.0 / inputs)).Span.CopyTo(layer.Weight.Span);
        }
        return layer;
    }

    /// <inheritdoc/>
    public override long ParameterCount
    {
        get
        {
            long count = 0;
            int width = Inputs;
            foreach (int next in Hidden.Append(Outputs))
            {
                count += (long)width * next + next;
                width = next;
            }
            return count;
        }
    }

    /// <summary>The name of the output layer in the built <see cref="Sequential"/> (its parameters are <c>NAME.weight</c> and <c>NAME.bias</c>).</summary>
    public override string OutputLayerName => ((Dropout > 0 ? 3 : 2) * Hidden.Count).ToString(CultureInfo.InvariantCulture);

    /// <summary>The layer widths as written on the command line and in reports, e.g. <c>10-64-32-3</c>.</summary>
    public override string Describe() =>
        string.Join("-", new[] { Inputs }.Concat(Hidden).Append(Outputs).Select(w => w.ToString(CultureInfo.InvariantCulture)));

    private void Validate()
    {
        if (Inputs < 1 || Outputs < 1 || Hidden.Any(h => h < 1) || !Enum.IsDefined(Init))
        {
            throw new ArgumentOutOfRangeException(nameof(Hidden), Describe(), $"Every layer needs at least one unit, but the widths are {Describe()}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Must be at least 0 and below 1.");
        }
    }
}
