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

    /// <summary>The layer as one fused op over the whole sequence (<see cref="Tensor.Lstm"/>), which returns h_1 … h_T and then c_T.</summary>
    private protected override (Tensor Output, LstmState Final) RunLayer(Tensor input, LstmState initial, int layer)
    {
        LayerWeights w = Weights(layer);
        int time = input.Shape[1];
        Tensor states = Tensor.Lstm(input, initial.Hidden, initial.Cell, w.WeightIh, w.WeightHh, w.BiasIh, w.BiasHh);
        // The final state is read from the op's result, not from the output sequence: a caller that uses only the state
        // (a head on the last step) then backpropagates through no copy of the whole sequence.
        return (states.Narrow(1, 0, time), new LstmState(states.Narrow(1, time - 1, 1).Squeeze(1), states.Narrow(1, time, 1).Squeeze(1)));
    }

    private protected override LstmState InitialLayerState(LstmState? initial, int layer, int batch) =>
        new(LayerSlice(initial?.Hidden, layer, batch), LayerSlice(initial?.Cell, layer, batch));

    private protected override LstmState StackLayers(LstmState[] finals) =>
        new(Tensor.Stack(finals.Select(s => s.Hidden).ToArray(), 0), Tensor.Stack(finals.Select(s => s.Cell).ToArray(), 0));
}
