using GradClip.Data;

namespace GradClip.Tests.Data;

public class BuiltInTextTests
{
    [Fact]
    public void The_shipped_text_is_Coriolanus_in_58_characters()
    {
        Assert.StartsWith("First Citizen:\nBefore we proceed any further, hear me speak.", BuiltInText.Coriolanus);
        Assert.Equal(58, new CharVocabulary(BuiltInText.Coriolanus).Count);
        Assert.InRange(BuiltInText.Coriolanus.Length, 39_000, 41_000);
    }

    [Fact]
    public void Windows_are_disjoint_runs_of_context_plus_one_ids_labelled_by_their_last()
    {
        var vocabulary = new CharVocabulary("abcd");

        var windows = BuiltInText.Windows("abcdabcdab", vocabulary, context: 2);

        Assert.Equal(3, windows.RowCount);
        Assert.Equal(["t0", "t1", "t2"], windows.FeatureNames.ToArray());
        Assert.Equal([0f, 1, 2, 3, 0, 1, 2, 3, 0], windows.Features.ToArray());
        Assert.Equal([2, 1, 0], windows.Labels.ToArray());
        Assert.Equal(["a", "b", "c", "d"], windows.ClassNames.ToArray());
    }

    [Fact]
    public void The_unigram_perplexity_is_the_smoothed_training_frequencies_scored_on_validation()
    {
        var windows = BuiltInText.Windows("aabababb", new CharVocabulary("ab"), context: 1);

        // Training rows 0-2 ("aa", "ba", "ba") have targets a, a, a: counts (1+3, 1+0), p(a) = 4/5, p(b) = 1/5.
        // Validation row 3 ("bb") has target b: perplexity = 1 / p(b) = 5.
        double perplexity = BuiltInText.UnigramPerplexity(windows, [0, 1, 2], [3]);

        Assert.Equal(5, perplexity, 10);
    }
}
