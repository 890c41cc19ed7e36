namespace GradClip.Cli.Train;

/// <summary>The optimizers <c>gradclip train</c> offers.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with momentum 0.9.</summary>
    Sgd,

    /// <summary>Adam with PyTorch's defaults.</summary>
    Adam,

    /// <summary>AdamW with decoupled weight decay 0.01.</summary>
    AdamW,
}
