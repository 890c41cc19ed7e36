using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Serialization;
using GradClip.Training;

namespace GradClip.Cli.Tasks;

/// <summary>
/// What a language-model run learned, in the terms a reader checks: its validation perplexity beside the unigram baseline
/// of the text, and a continuation of a prompt that the kept model generated. Saved as <c>sample.json</c> in the run folder.
/// </summary>
/// <param name="Prompt">The text the sample continues: the first characters of the validation windows.</param>
/// <param name="Text">The characters the model generated after the prompt.</param>
/// <param name="UnigramPerplexity">The validation perplexity of predicting each character by its training frequency.</param>
/// <param name="ValidationPerplexity">e to the kept epoch's validation loss, or null when no epoch was kept (or, read back, its perplexity was not finite).</param>
public sealed record TextSample(string Prompt, string Text, double UnigramPerplexity, double? ValidationPerplexity)
{
    /// <summary>The file's name.</summary>
    public const string FileName = "sample.json";

    /// <summary>The characters generated after the prompt.</summary>
    public const int Length = 200;

    private const int MaxBytes = 1 << 20;

    /// <summary>
    /// The sample of a trained language model: <see cref="Length"/> characters continuing the first validation window's
    /// first half, drawn from a generator seeded with the run's seed, so that a run and its resumed twin write the same text.
    /// </summary>
    public static TextSample Of(TransformerLanguageModel model, TabularData windows, DataSplit split, double? validationLoss, int seed)
    {
        var vocabulary = new CharVocabulary(windows.ClassNames.Select(c => c[0]));
        int first = split.ValidationRows.IsEmpty ? split.TrainRows[0] : split.ValidationRows[0];
        int[] prompt = [.. windows.Row(first)[..(windows.FeatureCount / 2)].ToArray().Select(v => (int)v)];
        int[] generated = TextSampler.Continue(model, prompt, Length, new Generator(seed));
        return new TextSample(vocabulary.Decode(prompt), vocabulary.Decode(generated),
            BuiltInText.UnigramPerplexity(windows, split),
            validationLoss is { } loss ? Math.Exp(loss) : null);
    }

    /// <summary>Writes the sample into <paramref name="folder"/> atomically; returns the file's name.</summary>
    public string Write(string folder)
    {
        AtomicFile.WriteText(Path.Combine(folder, FileName), MetricsFiles.Json(json =>
        {
            json.WriteString("prompt", Prompt);
            json.WriteString("text", Text);
            json.WriteNumber("unigram_perplexity", Math.Round(UnigramPerplexity, 4));
            // JSON has no ∞: a kept epoch whose loss overflowed is written as null, as a missing one is.
            MetricsFiles.Number(json, "val_perplexity", ValidationPerplexity is { } perplexity ? Math.Round(perplexity, 4) : null);
        }) + "\n");
        return FileName;
    }

    /// <summary>The sample saved in <paramref name="folder"/>, or null when the run wrote none; a malformed file is a usage error naming it.</summary>
    public static TextSample? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(RegularFile.ReadAllBytes(path, MaxBytes));
            var root = document.RootElement;
            var perplexity = root.GetProperty("val_perplexity");
            return new TextSample(root.GetProperty("prompt").GetString()!, root.GetProperty("text").GetString()!,
                root.GetProperty("unigram_perplexity").GetDouble(), perplexity.ValueKind == JsonValueKind.Null ? null : perplexity.GetDouble());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException([$"{path}: not a GradClip text sample ({ex.Message})."]);
        }
    }

    /// <summary>One sentence comparing the perplexity with the baseline, e.g. <c>validation perplexity 6.1, well below the unigram baseline 27.4</c>.</summary>
    public string Comparison() => ValidationPerplexity is { } perplexity
        ? string.Create(CultureInfo.InvariantCulture,
            $"validation perplexity {NumberText.Short(perplexity)}, {(perplexity < UnigramPerplexity / 2 ? "well below" : perplexity < UnigramPerplexity ? "below" : "not below")} the unigram baseline {NumberText.Short(UnigramPerplexity)} (a character predicted by its frequency alone)")
        : string.Create(CultureInfo.InvariantCulture, $"no epoch with a finite validation perplexity was kept; the unigram baseline is {NumberText.Short(UnigramPerplexity)}");
}
