using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A pre-LayerNorm Transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)) with mlp = Linear, GELU, Linear.
/// Shapes: input (batch, time, embedDim) → (batch, time, embedDim).
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm _attentionNorm;
    private readonly CausalSelfAttention _attention;
    private readonly LayerNorm _mlpNorm;
    private readonly Sequential _mlp;

    /// <summary>Creates the block; the MLP widens to <paramref name="hiddenDim"/>.</summary>
    public TransformerBlock(int embedDim, int headCount, int hiddenDim, Random random)
    {
        _attentionNorm = RegisterModule("ln_1", new LayerNorm(embedDim));
        _attention = RegisterModule("attn", new CausalSelfAttention(embedDim, headCount, random));
        _mlpNorm = RegisterModule("ln_2", new LayerNorm(embedDim));
        _mlp = RegisterModule("mlp", new Sequential(new Linear(embedDim, hiddenDim, random), new GELU(), new Linear(hiddenDim, embedDim, random)));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input + _attention.Forward(_attentionNorm.Forward(input));
        return x + _mlp.Forward(_mlpNorm.Forward(x));
    }
}
