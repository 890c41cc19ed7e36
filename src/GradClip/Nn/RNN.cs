using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Elman RNN with tanh, batch-first and multi-layer as PyTorch: h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh).
/// Shapes: input (batch, time, inputSize), initial state (numLayers, batch, hiddenSize) or zeros →
/// Output (batch, time, hiddenSize) of the last layer, State (numLayers, batch, hiddenSize) at the last step.
/// </summary>
public sealed class RNN : RecurrentModule<Tensor>
{
    /// <summary>Creates the network, drawing every weight from <paramref name="random"/>.</summary>
    public RNN(int inputSize, int hiddenSize, Random random, int numLayers = 1)
        : base(inputSize, hiddenSize, numLayers, gateCount: 1, random)
    {
    }

    private protected override (Tensor Output, Tensor Final) RunLayer(Tensor input, Tensor initial, int layer) =>
        Unroll(input, initial, layer, (x, h) => (x + ProjectHidden(h, layer)).Tanh());

    private protected override Tensor InitialLayerState(Tensor? initial, int layer, int batch) => LayerSlice(initial, layer, batch);

    private protected override Tensor StackLayers(Tensor[] finals) => Tensor.Stack(finals, 0);
}
