namespace GradClip.Nn;

/// <summary>The recurrent layer a <see cref="SequenceNetwork"/> runs over its input steps.</summary>
public enum RecurrentCell
{
    /// <summary>The Elman network with tanh, <see cref="Nn.RNN"/>: the one whose gradients explode on long sequences.</summary>
    Rnn,

    /// <summary>The long short-term memory, <see cref="Nn.LSTM"/>.</summary>
    Lstm,

    /// <summary>The gated recurrent unit, <see cref="Nn.GRU"/>.</summary>
    Gru,
}
