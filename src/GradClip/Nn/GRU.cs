using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Gated recurrent unit, batch-first and multi-layer, with PyTorch's gate order (reset, update, new) and formulas:
/// r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr), z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz),
/// n = tanh(x·W_inᵀ + b_in + r⊙(h·W_hnᵀ + b_hn)), h' = (1 − z)⊙n + z⊙h.
/// Shapes: input (batch, time, inputSize), initial state (numLayers, batch, hiddenSize) or zeros →
/// Output (batch, time, hiddenSize) of the last layer, State (numLayers, batch, hiddenSize) at the last step.
/// </summary>
public sealed class GRU : RecurrentModule<Tensor>
{
    /// <summary>Creates the network, drawing every weight from <paramref name="random"/>.</summary>
    public GRU(int inputSize, int hiddenSize, Random random, int numLayers = 1)
        : base(inputSize, hiddenSize, numLayers, gateCount: 3, random)
    {
    }

    private protected override (Tensor Output, Tensor Final) RunLayer(Tensor input, Tensor initial, int layer) =>
        Unroll(input, initial, layer, (x, h) => Step(x, h, layer));

    private Tensor Step(Tensor projectedInput, Tensor state, int layer)
    {
        Tensor[] fromInput = projectedInput.Chunk(3, 1);
        Tensor[] fromHidden = ProjectHidden(state, layer).Chunk(3, 1);
        Tensor reset = (fromInput[0] + fromHidden[0]).Sigmoid();
        Tensor update = (fromInput[1] + fromHidden[1]).Sigmoid();
        Tensor candidate = (fromInput[2] + reset * fromHidden[2]).Tanh();
        return (1f - update) * candidate + update * state;
    }

    private protected override Tensor InitialLayerState(Tensor? initial, int layer, int batch) => LayerSlice(initial, layer, batch);

    private protected override Tensor StackLayers(Tensor[] finals) => Tensor.Stack(finals, 0);
}
