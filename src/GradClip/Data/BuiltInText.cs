using System.Collections.Immutable;
using System.Globalization;

namespace GradClip.Data;

/// <summary>
/// The text the built-in language model learns: the opening of Shakespeare's <i>Coriolanus</i> (public domain), about
/// 40,000 characters of 58 distinct ones, cut into windows of consecutive characters.
/// </summary>
public static class BuiltInText
{
    /// <summary>What <see cref="TabularData.Source"/> says for the text's windows.</summary>
    public const string Source = "built-in text (Shakespeare, Coriolanus)";

    private static readonly Lazy<string> Text = new(ReadText);

    /// <summary>The whole text, newlines as <c>\n</c>.</summary>
    public static string Coriolanus => Text.Value;

    /// <summary>
    /// The text cut into disjoint windows of <paramref name="context"/> + 1 characters as a classification table: a row holds
    /// the window's character indices (columns <c>t0</c> … <c>tN</c>), its label the last one's, its classes the vocabulary.
    /// A language model reads columns 0 … N−1 and predicts columns 1 … N; the label lets a split stratify the windows.
    /// </summary>
    public static TabularData Windows(string text, CharVocabulary vocabulary, int context)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context);
        int[] ids = vocabulary.Encode(text);
        int width = context + 1;
        int rows = ids.Length / width;
        var features = new float[rows * width];
        var labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            for (int j = 0; j < width; j++)
            {
                features[row * width + j] = ids[row * width + j];
            }
            labels[row] = ids[row * width + context];
        }
        return TabularData.ForClassification(
            [.. features],
            [.. Enumerable.Range(0, width).Select(j => string.Create(CultureInfo.InvariantCulture, $"t{j}"))],
            [.. labels],
            [.. vocabulary.Characters.Select(c => c.ToString())],
            new DataDescription("next character", Source, $"windows of {width} characters of the text, predicting each next character"));
    }

    /// <summary>
    /// The unigram perplexity a language model trained on <paramref name="split"/> must beat: trained on its training rows,
    /// measured on its validation rows (on the training rows when none validate).
    /// </summary>
    public static double UnigramPerplexity(TabularData windows, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return UnigramPerplexity(windows, split.TrainRows.AsSpan(), split.ValidationRows.IsEmpty ? split.TrainRows.AsSpan() : split.ValidationRows.AsSpan());
    }

    /// <summary>
    /// The perplexity of the unigram model — each character predicted by its frequency in <paramref name="trainRows"/>'
    /// targets (add-one smoothed) — on <paramref name="validationRows"/>' targets: the figure a language model must beat.
    /// </summary>
    public static double UnigramPerplexity(TabularData windows, ReadOnlySpan<int> trainRows, ReadOnlySpan<int> validationRows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var counts = new double[windows.ClassCount];
        Array.Fill(counts, 1.0);
        foreach (int row in trainRows)
        {
            foreach (float id in Targets(windows, row))
            {
                counts[(int)id]++;
            }
        }
        double total = counts.Sum();
        double negativeLogLikelihood = 0;
        long count = 0;
        foreach (int row in validationRows)
        {
            foreach (float id in Targets(windows, row))
            {
                negativeLogLikelihood -= Math.Log(counts[(int)id] / total);
                count++;
            }
        }
        return Math.Exp(negativeLogLikelihood / count);
    }

    private static ReadOnlySpan<float> Targets(TabularData windows, int row) => windows.Row(row)[1..];

    private static string ReadText()
    {
        using var stream = typeof(BuiltInText).Assembly.GetManifestResourceStream("GradClip.Data.Text.coriolanus.txt")
            ?? throw new InvalidOperationException("The built-in text is missing from the GradClip assembly.");
        using var reader = new StreamReader(stream, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
        return reader.ReadToEnd();
    }
}
