using System.Globalization;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>The shape of a <see cref="ConvNetwork"/>: square single-channel images, stages of 3×3 convolutions each ending in 2×2 max pooling, a linear head.</summary>
/// <param name="Side">The images' height and width.</param>
/// <param name="Channels">The channels of each stage's convolutions.</param>
/// <param name="ConvolutionsPerStage">The convolutions before each pooling.</param>
/// <param name="Outputs">The number of classes.</param>
public sealed record ConvNetSpec(int Side, IReadOnlyList<int> Channels, int ConvolutionsPerStage, int Outputs) : ModelSpec
{
    /// <inheritdoc/>
    public override int Inputs => Side * Side;

    /// <inheritdoc/>
    public override int Outputs { get; } = Outputs;

    /// <inheritdoc/>
    public override long ParameterCount
    {
        get
        {
            long count = 0;
            long inChannels = 1;
            foreach (int channels in Channels)
            {
                for (int i = 0; i < ConvolutionsPerStage; i++)
                {
                    count += channels * (inChannels * 9 + 1);
                    inChannels = channels;
                }
            }
            long finalSide = Channels.Count < 31 ? Side >> Channels.Count : 0;
            return count + (inChannels * finalSide * finalSide + 1) * Outputs;
        }
    }

    /// <inheritdoc/>
    public override string OutputLayerName => "head";

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.DeepCnn;

    /// <inheritdoc/>
    public override ConvNetwork Build(Generator generator)
    {
        if (Side < 1 || Channels.Count == 0 || Channels.Any(c => c < 1) || ConvolutionsPerStage < 1 || Outputs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Describe(), $"Every size must be at least 1, but the model is {Describe()}.");
        }
        return new ConvNetwork(Side, Channels, ConvolutionsPerStage, Outputs, generator);
    }

    /// <summary>The architecture as written in reports, e.g. <c>cnn 16x16, 3 stages of 2 conv3x3 (8-16-32 channels), 4 classes</c>.</summary>
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"cnn {Side}x{Side}, {Channels.Count} stages of {ConvolutionsPerStage} conv3x3 ({string.Join("-", Channels)} channels), {Outputs} outputs");
}
