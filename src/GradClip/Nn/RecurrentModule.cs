using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// The weights and input handling shared by <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/>: batch-first input
/// (batch, time, inputSize); per layer k, PyTorch's <c>weight_ih_lk</c> (gates·hidden, in), <c>weight_hh_lk</c>
/// (gates·hidden, hidden), <c>bias_ih_lk</c> and <c>bias_hh_lk</c> (gates·hidden), all U(−1/√hidden, 1/√hidden).
/// The forward pass runs the layers in turn over every time step; <typeparamref name="TState"/> is the per-step state.
/// </summary>
public abstract class RecurrentModule<TState> : Module<Tensor, (Tensor Output, TState State)>
    where TState : class
{
    private readonly LayerWeights[] _layers;

    private protected RecurrentModule(int inputSize, int hiddenSize, int numLayers, int gateCount, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numLayers);
        ArgumentNullException.ThrowIfNull(random);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        float bound = 1f / MathF.Sqrt(hiddenSize);
        int rows = gateCount * hiddenSize;
        _layers = new LayerWeights[numLayers];
        for (int k = 0; k < numLayers; k++)
        {
            int layerInput = k == 0 ? inputSize : hiddenSize;
            _layers[k] = new LayerWeights(
                RegisterParameter($"weight_ih_l{k}", Tensor.Uniform(random, -bound, bound, rows, layerInput)),
                RegisterParameter($"weight_hh_l{k}", Tensor.Uniform(random, -bound, bound, rows, hiddenSize)),
                RegisterParameter($"bias_ih_l{k}", Tensor.Uniform(random, -bound, bound, rows)),
                RegisterParameter($"bias_hh_l{k}", Tensor.Uniform(random, -bound, bound, rows)));
        }
    }

    /// <summary>The size of each input step's features.</summary>
    public int InputSize { get; }

    /// <summary>The size of the hidden state of each layer.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked layers; each layer's output sequence is the next one's input.</summary>
    public int NumLayers { get; }

    /// <summary>Runs from a zero initial state.</summary>
    public override (Tensor Output, TState State) Forward(Tensor input) => Forward(input, null);

    /// <summary>Runs from <paramref name="initial"/> (zeros when null); returns the last layer's outputs and every layer's final state.</summary>
    public (Tensor Output, TState State) Forward(Tensor input, TState? initial)
    {
        int batch = CheckInput(input);
        Tensor layerInput = input;
        var finals = new TState[NumLayers];
        for (int layer = 0; layer < NumLayers; layer++)
        {
            (layerInput, finals[layer]) = RunLayer(layerInput, InitialLayerState(initial, layer, batch), layer);
        }
        return (layerInput, StackLayers(finals));
    }

    /// <summary>
    /// Layer <paramref name="layer"/> over every time step of its input (batch, time, in) from its initial state: the
    /// layer's outputs (batch, time, hidden) and its final state.
    /// </summary>
    private protected abstract (Tensor Output, TState Final) RunLayer(Tensor input, TState initial, int layer);

    /// <summary>Layer <paramref name="layer"/>'s state from the stacked initial state, or zeros when none is given.</summary>
    private protected abstract TState InitialLayerState(TState? initial, int layer, int batch);

    /// <summary>The per-layer final states stacked into (layers, batch, hidden) form.</summary>
    private protected abstract TState StackLayers(TState[] finals);

    /// <summary>
    /// <see cref="RunLayer"/> as recorded per-step ops, for a cell whose state is its hidden output: the input projected
    /// for every step at once, then <paramref name="step"/> maps step t's projection (batch, gates·hidden) and h_{t−1} to h_t.
    /// </summary>
    private protected (Tensor Output, Tensor Final) Unroll(Tensor input, Tensor state, int layer, Func<Tensor, Tensor, Tensor> step)
    {
        Tensor projected = Tensor.Linear(input, _layers[layer].WeightIh, _layers[layer].BiasIh);
        var outputs = new Tensor[projected.Shape[1]];
        for (int t = 0; t < outputs.Length; t++)
        {
            state = step(projected.Narrow(1, t, 1).Squeeze(1), state);
            outputs[t] = state;
        }
        return (Tensor.Stack(outputs, 1), state);
    }

    /// <summary>Layer <paramref name="layer"/>'s weights W_ih, W_hh, b_ih and b_hh.</summary>
    private protected LayerWeights Weights(int layer) => _layers[layer];

    /// <summary>h·W_hhᵀ + b_hh: (batch, hidden) → (batch, gates·hidden).</summary>
    private protected Tensor ProjectHidden(Tensor hidden, int layer) =>
        Tensor.Linear(hidden, _layers[layer].WeightHh, _layers[layer].BiasHh);

    /// <summary>Checks that the input is (batch, time ≥ 1, inputSize) and returns the batch size.</summary>
    private int CheckInput(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[1] == 0 || input.Shape[2] != InputSize)
        {
            throw new ArgumentException(
                $"{GetType().Name} expects input of shape [batch, time ≥ 1, {InputSize}], but got {input.ShapeText}.", nameof(input));
        }
        return input.Shape[0];
    }

    /// <summary>Layer <paramref name="layer"/>'s slice (batch, hidden) of a (layers, batch, hidden) state, or zeros when none is given.</summary>
    private protected Tensor LayerSlice(Tensor? state, int layer, int batch)
    {
        if (state is null)
        {
            return Tensor.Zeros(batch, HiddenSize);
        }
        if (!state.HasShape([NumLayers, batch, HiddenSize]))
        {
            throw new ArgumentException(
                $"Initial state must have shape {Tensor.Format([NumLayers, batch, HiddenSize])}, but got {state.ShapeText}.", nameof(state));
        }
        return state.Narrow(0, layer, 1).Squeeze(0);
    }

    /// <summary>One layer's parameters: W_ih (gates·hidden, in), W_hh (gates·hidden, hidden), b_ih and b_hh (gates·hidden).</summary>
    private protected sealed record LayerWeights(Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh);
}
