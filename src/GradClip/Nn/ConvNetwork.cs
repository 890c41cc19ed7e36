using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A VGG-style convolutional classifier over square single-channel images given as flat rows: input (batch, side·side),
/// read as (batch, 1, side, side) → stages of [3×3 Conv2d (padding 1) + ReLU] × convolutionsPerStage followed by 2×2
/// <see cref="MaxPool2d"/> → flattened → Linear → (batch, outputs). The convolutions' weights are Kaiming-normal
/// (He et al. 2015), their biases and the head PyTorch's default.
/// Flat rows let images travel through the same tables, batches and files as tabular data.
/// </summary>
/// <remarks>Parameters are named <c>features.0.weight</c>, … (the layers of the convolutional stack in order), <c>head.weight</c>, <c>head.bias</c>.</remarks>
public sealed class ConvNetwork : Module<Tensor, Tensor>
{
    private readonly Sequential _features;
    private readonly Linear _head;

    /// <summary>Creates the network, drawing every weight from <paramref name="random"/>, the convolutions' first.</summary>
    /// <param name="side">The images' height and width, which every stage halves (so it must divide by 2^stages).</param>
    /// <param name="channels">The channels of each stage's convolutions.</param>
    /// <param name="convolutionsPerStage">The convolutions before each pooling.</param>
    /// <param name="outputs">The head's outputs (classes).</param>
    /// <param name="random">The source of every initial weight.</param>
    public ConvNetwork(int side, IReadOnlyList<int> channels, int convolutionsPerStage, int outputs, Random random)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(convolutionsPerStage);
        if (channels.Count == 0 || side < 1 || side % (1 << channels.Count) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, $"{channels.Count} stages each halve the image, so its side must be a multiple of {1 << channels.Count}.");
        }
        var layers = new List<Module<Tensor, Tensor>>();
        int inChannels = 1;
        foreach (int stageChannels in channels)
        {
            for (int i = 0; i < convolutionsPerStage; i++)
            {
                layers.Add(KaimingNormal(new Conv2d(inChannels, stageChannels, 3, random, padding: 1), random));
                layers.Add(new ReLU());
                inChannels = stageChannels;
            }
            layers.Add(new MaxPool2d(2));
        }
        _features = RegisterModule("features", new Sequential([.. layers]));
        int finalSide = side >> channels.Count;
        _head = RegisterModule("head", new Linear(inChannels * finalSide * finalSide, outputs, random));
        Side = side;
    }

    /// <summary>The images' height and width.</summary>
    public int Side { get; }

    /// <summary>Redraws the convolution's weight from N(0, 2/fanIn) (He et al. 2015), as deep ReLU networks are initialized.</summary>
    private static Conv2d KaimingNormal(Conv2d conv, Random random)
    {
        int fanIn = conv.Weight.Count / conv.Weight.Shape[0];
        Tensor.Randn(random, [.. conv.Weight.Shape]).Mul(MathF.Sqrt(2f / fanIn)).Span.CopyTo(conv.Weight.Span);
        return conv;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] != Side * Side)
        {
            throw new ArgumentException($"Expected flat images of shape (batch, {Side * Side}), but got {input.ShapeText}.", nameof(input));
        }
        int batch = input.Shape[0];
        Tensor features = _features.Forward(input.Reshape(batch, 1, Side, Side));
        return _head.Forward(features.Reshape(batch, -1));
    }
}
