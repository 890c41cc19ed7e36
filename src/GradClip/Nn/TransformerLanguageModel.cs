using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// A decoder-only Transformer language model (GPT's shape): token and position embeddings, causal
/// <see cref="TransformerBlock"/>s (pre-LayerNorm unless told otherwise) with a GELU MLP four times as wide, a final
/// LayerNorm and a linear head over the vocabulary. Input: token ids (batch, time) held as floats; output: next-token logits (batch, time, vocabulary).
/// </summary>
/// <remarks>
/// Parameters are named <c>token_embedding.weight</c>, <c>position_embedding.weight</c>, <c>blocks.0.ln_1.weight</c>, …,
/// <c>ln_f.weight</c>, <c>head.weight</c>. The embeddings are drawn N(0, 0.02²), as GPT-2 does, instead of
/// <see cref="Embedding"/>'s N(0, 1).
/// </remarks>
public sealed class TransformerLanguageModel : Module<Tensor, Tensor>
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly Sequential _blocks;
    private readonly LayerNorm _finalNorm;
    private readonly Linear _head;

    /// <summary>Creates the model, drawing every weight from <paramref name="random"/> in registration order.</summary>
    /// <param name="vocabulary">The number of distinct tokens.</param>
    /// <param name="context">The most positions an input may have.</param>
    /// <param name="embedDim">The width of every position's vector.</param>
    /// <param name="headCount">The attention heads of each block (must divide <paramref name="embedDim"/>).</param>
    /// <param name="layers">The number of Transformer blocks.</param>
    /// <param name="random">The source of every initial weight.</param>
    public TransformerLanguageModel(int vocabulary, int context, int embedDim, int headCount, int layers, Random random)
        : this(vocabulary, context, embedDim, headCount, layers, random, normFirst: true)
    {
    }

    /// <summary>Creates the model with pre-LayerNorm blocks when <paramref name="normFirst"/> holds, post-LayerNorm blocks (the original Transformer's wiring) when not.</summary>
    /// <param name="vocabulary">The number of distinct tokens.</param>
    /// <param name="context">The most positions an input may have.</param>
    /// <param name="embedDim">The width of every position's vector.</param>
    /// <param name="headCount">The attention heads of each block (must divide <paramref name="embedDim"/>).</param>
    /// <param name="layers">The number of Transformer blocks.</param>
    /// <param name="random">The source of every initial weight.</param>
    /// <param name="normFirst">Whether each block normalizes before its branches (see <see cref="TransformerBlockOptions.NormFirst"/>).</param>
    public TransformerLanguageModel(int vocabulary, int context, int embedDim, int headCount, int layers, Random random, bool normFirst)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        _tokens = RegisterModule("token_embedding", new Embedding(vocabulary, embedDim, random));
        _positions = RegisterModule("position_embedding", new Embedding(context, embedDim, random));
        foreach (Tensor table in new[] { _tokens.Weight, _positions.Weight })
        {
            Tensor.Randn(random, [.. table.Shape]).Mul(0.02f).Span.CopyTo(table.Span);
        }
        _blocks = RegisterModule("blocks", new Sequential([.. Enumerable.Range(0, layers)
            .Select(_ => (Module<Tensor, Tensor>)new TransformerBlock(embedDim, headCount, 4 * embedDim, random, new TransformerBlockOptions(normFirst)))]));
        _finalNorm = RegisterModule("ln_f", new LayerNorm(embedDim));
        _head = RegisterModule("head", new Linear(embedDim, vocabulary, random));
        Vocabulary = vocabulary;
        Context = context;
    }

    /// <summary>The number of distinct tokens: the width of the output.</summary>
    public int Vocabulary { get; }

    /// <summary>The most positions an input may have.</summary>
    public int Context { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] < 1 || input.Shape[1] > Context)
        {
            throw new ArgumentException($"Expected token ids of shape (batch, time) with time 1 to {Context}, but got {input.ShapeText}.", nameof(input));
        }
        int batch = input.Shape[0];
        int time = input.Shape[1];
        int[] ids = TokenIds(input.Span);
        int[] positions = [.. Enumerable.Range(0, batch * time).Select(i => i % time)];
        Tensor x = _tokens.Forward(ids) + _positions.Forward(positions);
        x = _blocks.Forward(x.Reshape(batch, time, -1));
        return _head.Forward(_finalNorm.Forward(x));
    }

    private int[] TokenIds(ReadOnlySpan<float> values)
    {
        var ids = new int[values.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0 && v < Vocabulary) || v != MathF.Floor(v))
            {
                throw new ArgumentOutOfRangeException(nameof(values), v, $"Token ids must be whole numbers from 0 to {Vocabulary - 1}, but element {i} is {v}.");
            }
            ids[i] = (int)v;
        }
        return ids;
    }
}
