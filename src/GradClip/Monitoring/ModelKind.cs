namespace GradClip.Monitoring;

/// <summary>The kind of model a max_norm rule of thumb is given for (the common table of starting values).</summary>
public enum ModelKind
{
    /// <summary>A small feed-forward network (MLP): max_norm 5–10.</summary>
    SmallFeedForward,

    /// <summary>A deep convolutional network: max_norm 1–5.</summary>
    DeepCnn,

    /// <summary>A recurrent network (RNN, LSTM, GRU): max_norm 0.25–1.</summary>
    RecurrentNetwork,

    /// <summary>A transformer (NLP): max_norm 0.5–2.</summary>
    Transformer,
}
