using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>The state of an <see cref="LSTM"/>: Hidden h and Cell c, each (numLayers, batch, hiddenSize), or (batch, hiddenSize) inside one layer.</summary>
public sealed record LstmState(Tensor Hidden, Tensor Cell);
