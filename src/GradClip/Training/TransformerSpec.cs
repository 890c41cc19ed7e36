using System.Globalization;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>The shape of a <see cref="TransformerLanguageModel"/> trained on windows of <paramref name="Context"/> + 1 tokens.</summary>
/// <param name="Vocabulary">The number of distinct tokens.</param>
/// <param name="Context">The positions the model reads at once.</param>
/// <param name="EmbedDim">The width of every position's vector.</param>
/// <param name="Heads">The attention heads of each block.</param>
/// <param name="Layers">The number of Transformer blocks.</param>
/// <param name="NormFirst">Pre-LayerNorm blocks (GPT-2's) when true, post-LayerNorm blocks (the original Transformer's) when false.</param>
public sealed record TransformerSpec(int Vocabulary, int Context, int EmbedDim, int Heads, int Layers, bool NormFirst = true) : ModelSpec
{
    /// <summary>A row's columns: the window of context + 1 token ids.</summary>
    public override int Inputs => Context + 1;

    /// <inheritdoc/>
    public override int Outputs => Vocabulary;

    /// <inheritdoc/>
    public override long ParameterCount
    {
        get
        {
            long d = EmbedDim;
            long block = 2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d);
            return (Vocabulary + Context) * d + Layers * block + 2 * d + d * Vocabulary + Vocabulary;
        }
    }

    /// <inheritdoc/>
    public override string OutputLayerName => "head";

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.Transformer;

    /// <inheritdoc/>
    public override TrainingObjective Objective => TrainingObjective.NextToken;

    /// <inheritdoc/>
    public override TransformerLanguageModel Build(Generator generator)
    {
        if (Vocabulary < 2 || Context < 1 || EmbedDim < 1 || Heads < 1 || Layers < 1 || EmbedDim % Heads != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EmbedDim), Describe(),
                $"Every size must be at least 1 (the vocabulary 2) and the heads must divide the width, but the model is {Describe()}.");
        }
        return new TransformerLanguageModel(Vocabulary, Context, EmbedDim, Heads, Layers, generator, NormFirst);
    }

    /// <summary>
    /// The architecture as written in reports, e.g. <c>transformer 2x64 (4 heads), context 32, vocabulary 58</c>, or
    /// <c>post-LN transformer 2x64 …</c> for post-LayerNorm blocks.
    /// </summary>
    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{(NormFirst ? "" : "post-LN ")}transformer {Layers}x{EmbedDim} ({Heads} heads), context {Context}, vocabulary {Vocabulary}");
}
