namespace GradClip.Nn;

/// <summary>How a feed-forward network's weights are first drawn.</summary>
public enum WeightInit
{
    /// <summary>PyTorch's default for Linear: Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in).</summary>
    PyTorchDefault,

    /// <summary>
    /// Kaiming-normal for ReLU (He et al., 2015): N(0, 2/fan_in), which keeps the signal's scale through deep ReLU stacks
    /// where the default lets it fade layer by layer.
    /// </summary>
    KaimingNormal,
}
