using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Long short-term memory, batch-first and multi-layer, with PyTorch's gate order (input, forget, cell, output):
/// i, f, o = σ(·), g = tanh(·) of x_t·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh; c' = f⊙c + i⊙g; h' = o⊙tanh(c').
/// Shapes: input (batch, time, inputSize), initial state h and c (numLayers, batch, hiddenSize) or zeros →
/// Output (batch, time, hiddenSize) of the last layer, State h and c (numLayers, batch, hiddenSize) at the last step.
/// </summary>
public sealed class LSTM : RecurrentModule<LstmState>
{
    /// <summary>Creates the network, drawing every weight from <paramref name="random"/>.</summary>
    public LSTM(int inputSize, int hiddenSize, Random random, int numLayers = 1)
        : base(inputSize, hiddenSize, numLayers, gateCount: 4, random)
    {
    }

    private protected override LstmState Step(Tensor projectedInput, LstmState state, int layer)
    {
        Tensor next = Tensor.LstmCell(projectedInput + ProjectHidden(state.Hidden, layer), state.Cell);
        return new LstmState(next.Narrow(1, 0, HiddenSize), next.Narrow(1, HiddenSize, HiddenSize));
    }

    private protected override Tensor HiddenOf(LstmState state) => state.Hidden;

    private protected override LstmState InitialLayerState(LstmState? initial, int layer, int batch) =>
        new(LayerSlice(initial?.Hidden, layer, batch), LayerSlice(initial?.Cell, layer, batch));

    private protected override LstmState StackLayers(LstmState[] finals) =>
        new(Tensor.Stack(finals.Select(s => s.Hidden).ToArray(), 0), Tensor.Stack(finals.Select(s => s.Cell).ToArray(), 0));
}
