using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A recurrent network over sequences given as flat rows, with a linear head on the last step's hidden state: input
/// (batch, steps·stepInputs), read as (batch, steps, stepInputs) → <see cref="RecurrentCell"/> layer(s) → Linear → (batch, outputs).
/// Flat rows let sequence data travel through the same tables, batches and files as tabular data.
/// </summary>
/// <remarks>Parameters are named <c>recurrent.weight_ih_l0</c>, …, <c>head.weight</c> and <c>head.bias</c>.</remarks>
public sealed class SequenceNetwork : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> _lastHidden;
    private readonly Linear _head;

    /// <summary>Creates the network, drawing every weight from <paramref name="random"/> (the recurrent layer's first).</summary>
    /// <param name="cell">The recurrent layer.</param>
    /// <param name="stepInputs">The features of each step.</param>
    /// <param name="hiddenSize">The recurrent layer's hidden size.</param>
    /// <param name="outputs">The head's outputs.</param>
    /// <param name="random">The source of every initial weight.</param>
    /// <param name="numLayers">The stacked recurrent layers.</param>
    /// <param name="recurrentGain">
    /// When given, the hidden-to-hidden weights are drawn from N(0, gain²/hidden) instead of PyTorch's uniform: a gain
    /// above 1 gives the large recurrent weights whose gradients explode over long sequences (Pascanu et al., 2013).
    /// </param>
    public SequenceNetwork(RecurrentCell cell, int stepInputs, int hiddenSize, int outputs, Random random, int numLayers = 1, double? recurrentGain = null)
    {
        _lastHidden = cell switch
        {
            RecurrentCell.Rnn => LastLayer(RegisterModule("recurrent", new RNN(stepInputs, hiddenSize, random, numLayers)), h => h),
            RecurrentCell.Lstm => LastLayer(RegisterModule("recurrent", new LSTM(stepInputs, hiddenSize, random, numLayers)), s => s.Hidden),
            RecurrentCell.Gru => LastLayer(RegisterModule("recurrent", new GRU(stepInputs, hiddenSize, random, numLayers)), h => h),
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, $"Unknown recurrent cell {cell}."),
        };
        if (recurrentGain is { } gain)
        {
            DrawRecurrentWeights(gain, hiddenSize, random);
        }
        _head = RegisterModule("head", new Linear(hiddenSize, outputs, random));
        StepInputs = stepInputs;
    }

    /// <summary>The features of each step: a row of the input holds its steps one after another.</summary>
    public int StepInputs { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] % StepInputs != 0 || input.Shape[1] == 0)
        {
            throw new ArgumentException(
                $"Input shape {input.ShapeText} is not (batch, steps·{StepInputs}): each row must hold whole steps of {StepInputs} features.", nameof(input));
        }
        int steps = input.Shape[1] / StepInputs;
        return _head.Forward(_lastHidden(input.Reshape(input.Shape[0], steps, StepInputs)));
    }

    private void DrawRecurrentWeights(double gain, int hiddenSize, Random random)
    {
        if (!(gain > 0) || !double.IsFinite(gain))
        {
            throw new ArgumentOutOfRangeException(nameof(gain), gain, $"The recurrent gain must be finite and positive, but was {gain}.");
        }
        foreach (var (name, weight) in NamedParameters().Where(p => p.Name.StartsWith("recurrent.weight_hh", StringComparison.Ordinal)))
        {
            Tensor.Randn(random, [.. weight.Shape]).Mul((float)(gain / Math.Sqrt(hiddenSize))).Span.CopyTo(weight.Span);
        }
    }

    /// <summary>
    /// The last layer's hidden state after the last step, (batch, hidden), read from the final state: the same values as the
    /// output sequence's last step, without backpropagating through a copy of the whole sequence.
    /// </summary>
    private static Func<Tensor, Tensor> LastLayer<TState>(RecurrentModule<TState> recurrent, Func<TState, Tensor> hidden)
        where TState : class => x => hidden(recurrent.Forward(x).State).Narrow(0, recurrent.NumLayers - 1, 1).Squeeze(0);
}
