using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Serialization;
using GradClip.Tensors;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Predict;

/// <summary><c>gradclip predict --prompt TEXT --length N</c>: a language model continues a prompt.</summary>
internal static class TextContinuation
{
    /// <summary>The most characters one call generates.</summary>
    public const int MaxLength = 100_000;

    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="length"/> characters drawn from a generator seeded with
    /// <paramref name="seed"/>, prints prompt and continuation, and writes them to <paramref name="outputPath"/> when given.
    /// Refuses (exit 2) a model that is no language model, a missing prompt, a length out of range and a character the
    /// model's vocabulary lacks.
    /// </summary>
    public static int Run(IAnsiConsole console, SavedModel saved, Module<Tensor, Tensor> network, string? prompt, int length, int seed, string? outputPath)
    {
        if (network is not TransformerLanguageModel model)
        {
            throw new UsageException("--prompt", $"needs a language model (gradclip train --task transformer), but the model is {saved.Architecture.Describe()}; give --input or --row.");
        }
        if (prompt is null)
        {
            throw new UsageException("--prompt", $"the model is a language model ({saved.Architecture.Describe()}): give --prompt TEXT to continue, not rows.");
        }
        if (length is < 1 or > MaxLength)
        {
            throw new UsageException("--length", $"must be from 1 to {MaxLength}, but is {length}.");
        }
        var vocabulary = new CharVocabulary(saved.ClassNames.Select(c => c[0]));
        int[] ids = Encode(vocabulary, prompt.Replace("\\n", "\n", StringComparison.Ordinal));
        string continuation = vocabulary.Decode(TextSampler.Continue(model, ids, length, new Generator(seed)));
        string text = vocabulary.Decode(ids) + continuation;
        if (outputPath is not null)
        {
            AtomicFile.WriteText(outputPath, text + "\n");
        }
        console.Write(new Text(vocabulary.Decode(ids), new Style(decoration: Decoration.Bold)));
        console.WriteLine(continuation);
        if (outputPath is not null)
        {
            console.MarkupLine($"Text written to [bold]{Markup.Escape(outputPath)}[/].");
        }
        return ExitCodes.Success;
    }

    private static int[] Encode(CharVocabulary vocabulary, string prompt)
    {
        if (prompt.Length == 0)
        {
            throw new UsageException("--prompt", "is empty; give at least one character to continue.");
        }
        try
        {
            return vocabulary.Encode(prompt);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--prompt", $"{ex.Message.Replace(" (Parameter 'text')", "", StringComparison.Ordinal)} The model knows: {string.Join("", vocabulary.Characters.Where(c => !char.IsControl(c)))}");
        }
    }
}
