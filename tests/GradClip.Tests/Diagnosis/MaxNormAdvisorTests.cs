using GradClip.Diagnosis;
using GradClip.Monitoring;

namespace GradClip.Tests.Diagnosis;

public class MaxNormAdvisorTests
{
    private static readonly double[] OneToTen = [7, 1, 10, 3, 5, 2, 9, 4, 8, 6];

    [Fact]
    public void Suggests_the_90th_percentile_and_lists_autoclips_10th_beside_the_median_and_max()
    {
        var advice = MaxNormAdvisor.Advise(OneToTen, ModelKind.DeepCnn);

        // Sorted 1..10: rank q/100·9, interpolated: p10 = 1 + 0.9 = 1.9, p50 = 5.5, p90 = 9 + 0.1 = 9.1.
        Assert.Equal(1.9, advice.P10, 12);
        Assert.Equal(5.5, advice.P50, 12);
        Assert.Equal(9.1, advice.P90, 12);
        Assert.Equal(10, advice.Max);
        Assert.Equal(9.1, advice.SuggestedMaxNorm, 12);
        Assert.Equal(1.9, advice.AutoClipMaxNorm, 12);
        Assert.Equal(10, advice.FiniteSteps);
        Assert.Equal(0, advice.NonFiniteSteps);
        Assert.Contains(advice.Reasoning, line => line.Contains("p10 1.9, median 5.5, p90 9.1, max 10", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ModelKind.SmallFeedForward, 5, 10)]
    [InlineData(ModelKind.DeepCnn, 1, 5)]
    [InlineData(ModelKind.RecurrentNetwork, 0.25, 1)]
    [InlineData(ModelKind.Transformer, 0.5, 2)]
    public void Gives_the_rule_of_thumb_range_for_each_kind_of_model(ModelKind kind, double low, double high)
    {
        Assert.Equal((low, high), MaxNormAdvisor.RuleOfThumb(kind));
        Assert.Equal((low, high), MaxNormAdvisor.Advise(OneToTen, kind).RuleOfThumb);
    }

    [Theory]
    [InlineData(ModelKind.SmallFeedForward, "5–10; the suggestion lies within it.")]
    [InlineData(ModelKind.DeepCnn, "1–5; the suggestion is above it")]
    [InlineData(ModelKind.RecurrentNetwork, "0.25–1; the suggestion is above it")]
    public void Says_where_the_suggestion_lies_against_the_rule_of_thumb(ModelKind kind, string expected)
    {
        var advice = MaxNormAdvisor.Advise(OneToTen, kind);

        Assert.Contains(advice.Reasoning, line => line.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Says_when_the_suggestion_is_below_the_rule_of_thumb()
    {
        var advice = MaxNormAdvisor.Advise([0.01, 0.02, 0.03], ModelKind.Transformer);

        Assert.Contains(advice.Reasoning, line => line.Contains("below it", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_and_leaves_out_non_finite_norms()
    {
        var advice = MaxNormAdvisor.Advise([double.NaN, 1, double.PositiveInfinity, 3, 2], ModelKind.Transformer);

        Assert.Equal(3, advice.FiniteSteps);
        Assert.Equal(2, advice.NonFiniteSteps);
        Assert.Equal(2, advice.P50, 12);
        Assert.Equal(3, advice.Max);
        Assert.Equal(2 + 0.8 * 1, advice.P90, 12);
        Assert.StartsWith("2 of 5 norms were NaN or infinite", advice.Reasoning[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_finite_norm_falls_back_to_the_low_end_of_the_rule_of_thumb()
    {
        var advice = MaxNormAdvisor.Advise([double.NaN, double.NegativeInfinity], ModelKind.RecurrentNetwork);

        Assert.Equal(0.25, advice.SuggestedMaxNorm);
        Assert.True(double.IsNaN(advice.P90));
        Assert.True(double.IsNaN(advice.Max));
        Assert.Contains(advice.Reasoning, line => line.StartsWith("No finite gradient norm", StringComparison.Ordinal));
    }

    [Fact]
    public void Zero_norms_fall_back_to_the_rule_of_thumb_instead_of_suggesting_zero()
    {
        var advice = MaxNormAdvisor.Advise([0, 0, 0], ModelKind.Transformer);

        Assert.Equal(0.5, advice.SuggestedMaxNorm);
    }

    [Fact]
    public void Reads_the_norms_before_clipping_from_step_records()
    {
        var steps = OneToTen.Select((norm, i) => new StepRecord(1, i + 1, Loss: 1, NormBefore: norm, NormAfter: 1,
            Coefficient: 1, Clipped: false, Skipped: false, LearningRate: 0.1,
            new Dictionary<string, double>(), [])).ToList();

        var advice = MaxNormAdvisor.Advise(steps, ModelKind.DeepCnn);

        Assert.Equal(9.1, advice.SuggestedMaxNorm, 12);
    }

    [Fact]
    public void Rejects_an_unknown_model_kind_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MaxNormAdvisor.Advise(OneToTen, (ModelKind)42));

        Assert.Equal("kind", error.ParamName);
        Assert.Equal((ModelKind)42, error.ActualValue);
    }

    private static ReturnProbe Probe(double maxNorm, double late, bool healthy, params double[] norms) =>
        new(maxNorm, norms, ClipRate: 1, FirstReturn: 20, BestReturn: 500, FinalReturn: 100, late, healthy);

    [Fact]
    public void An_agent_gets_the_max_norm_of_the_healthy_probe_whose_return_held_highest()
    {
        ReturnProbe[] probes = [Probe(1, 300, true, 1, 2, 3), Probe(5, 450, false, 10, 20, 30), Probe(10, 400, true, 100, 200, 300)];

        var advice = MaxNormAdvisor.AdviseFromReturns(probes, ModelKind.SmallFeedForward);

        // max_norm 5 held the highest return but was not healthy, so 10 wins; the percentiles are its probe's norms.
        Assert.Equal(10, advice.SuggestedMaxNorm);
        Assert.Equal(200, advice.P50);
        Assert.Same(probes, advice.Probes);
        Assert.Contains(advice.Reasoning, line => line.StartsWith("max_norm 5: mean return 20 in the first epoch, best 500, last 100, 450 on average over the second half;", StringComparison.Ordinal)
            && line.EndsWith("not healthy: the return collapsed or never rose.", StringComparison.Ordinal));
        Assert.Contains("Suggested max_norm 10: of the probes the health check called healthy, its return was highest over the second half of the run.", advice.Reasoning);
        Assert.Contains("The rule of thumb for a small feed-forward network is 5–10; the suggestion lies within it.", advice.Reasoning);
    }

    [Fact]
    public void Of_two_agents_probes_that_held_the_same_return_the_smaller_max_norm_is_suggested()
    {
        var advice = MaxNormAdvisor.AdviseFromReturns([Probe(5, 300, true, 1), Probe(1, 300, true, 2)], ModelKind.SmallFeedForward);

        Assert.Equal(1, advice.SuggestedMaxNorm);
        Assert.Contains("The rule of thumb for a small feed-forward network is 5–10; the suggestion is below it.", advice.Reasoning);
    }

    [Fact]
    public void When_no_agents_probe_learned_the_smallest_max_norm_and_a_lower_learning_rate_are_advised()
    {
        var advice = MaxNormAdvisor.AdviseFromReturns([Probe(5, 300, false, 1), Probe(1, 200, false, 2), Probe(10, 400, false, 3)], ModelKind.SmallFeedForward);

        Assert.Equal(1, advice.SuggestedMaxNorm);
        Assert.Contains("No probe's return rose and held, so the suggestion is the smallest max_norm tried, 1; lower the learning rate (--lr) too.", advice.Reasoning);
    }

    [Fact]
    public void Advice_from_returns_needs_a_probe()
    {
        Assert.Throws<ArgumentException>(() => MaxNormAdvisor.AdviseFromReturns([], ModelKind.SmallFeedForward));
    }
}
