using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>Continues a prompt with a language model, drawing each next token from its softmax (temperature 1).</summary>
public static class TextSampler
{
    /// <summary>
    /// <paramref name="length"/> tokens drawn one after another from <paramref name="model"/>'s distribution of the next token
    /// given the last <see cref="TransformerLanguageModel.Context"/> tokens so far; each draw takes one uniform number from
    /// <paramref name="generator"/>, so the same generator state gives the same text.
    /// </summary>
    public static int[] Continue(TransformerLanguageModel model, IReadOnlyList<int> prompt, int length, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));
        }
        var tokens = new List<int>(prompt);
        model.Eval();
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < length; i++)
        {
            int start = Math.Max(0, tokens.Count - model.Context);
            float[] window = [.. tokens.Skip(start).Select(t => (float)t)];
            Tensor logits = model.Forward(Tensor.FromArray(window, 1, window.Length));
            Tensor last = logits.Reshape(window.Length, model.Vocabulary).Narrow(0, window.Length - 1, 1).Softmax(-1);
            tokens.Add(Draw(last.Span, generator.NextDouble()));
        }
        return [.. tokens.Skip(prompt.Count)];
    }

    /// <summary>The index at which the running sum of <paramref name="probabilities"/> passes <paramref name="uniform"/> (the last one when rounding leaves it short).</summary>
    internal static int Draw(ReadOnlySpan<float> probabilities, double uniform)
    {
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            sum += probabilities[i];
            if (uniform < sum)
            {
                return i;
            }
        }
        return probabilities.Length - 1;
    }
}
