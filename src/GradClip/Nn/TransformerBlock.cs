using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A Transformer block, pre-LayerNorm by default: x + attn(ln_1(x)), then x + mlp(ln_2(x)) with mlp = Linear, GELU,
/// Linear; post-LayerNorm (<see cref="TransformerBlockOptions.NormFirst"/> false): ln_1(x + attn(x)), then
/// ln_2(x + mlp(x)). With dropout, each branch's output is dropped before it is added.
/// Shapes: input (batch, time, embedDim) → (batch, time, embedDim).
/// </summary>
public sealed class TransformerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm _attentionNorm;
    private readonly CausalSelfAttention _attention;
    private readonly LayerNorm _mlpNorm;
    private readonly Sequential _mlp;
    private readonly Dropout? _dropout;

    /// <summary>Creates the pre-LayerNorm, causal block without dropout; the MLP widens to <paramref name="hiddenDim"/>.</summary>
    public TransformerBlock(int embedDim, int headCount, int hiddenDim, Random random)
        : this(embedDim, headCount, hiddenDim, random, new TransformerBlockOptions())
    {
    }

    /// <summary>Creates the block as <paramref name="options"/> say; dropout draws from <paramref name="random"/>, which must then be a <see cref="Generator"/>.</summary>
    /// <exception cref="ArgumentException">Dropout is asked for but <paramref name="random"/> is not a <see cref="Generator"/>.</exception>
    public TransformerBlock(int embedDim, int headCount, int hiddenDim, Random random, TransformerBlockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _attentionNorm = RegisterModule("ln_1", new LayerNorm(embedDim));
        _attention = RegisterModule("attn", new CausalSelfAttention(embedDim, headCount, random, options.Causal));
        _mlpNorm = RegisterModule("ln_2", new LayerNorm(embedDim));
        _mlp = RegisterModule("mlp", new Sequential(new Linear(embedDim, hiddenDim, random), new GELU(), new Linear(hiddenDim, embedDim, random)));
        if (options.Dropout > 0f)
        {
            Generator generator = random as Generator ?? throw new ArgumentException(
                "Dropout in a TransformerBlock draws from the run's Generator; pass one as the random source.", nameof(random));
            _dropout = RegisterModule("dropout", new Dropout(options.Dropout, generator));
        }
    }

    /// <summary>How the block is wired.</summary>
    public TransformerBlockOptions Options { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (Options.NormFirst)
        {
            Tensor x = input + Drop(_attention.Forward(_attentionNorm.Forward(input)));
            return x + Drop(_mlp.Forward(_mlpNorm.Forward(x)));
        }
        Tensor y = _attentionNorm.Forward(input + Drop(_attention.Forward(input)));
        return _mlpNorm.Forward(y + Drop(_mlp.Forward(y)));
    }

    private Tensor Drop(Tensor branch) => _dropout is null ? branch : _dropout.Forward(branch);
}
