using GradClip.Corpus;
using GradClip.Diagnosis;

namespace GradClip.Tests.Diagnosis;

/// <summary>Every scenario of the labelled corpus, once (seed 0); the full matrix of seeds and variations is the benchmark's.</summary>
public class LabelledCorpusTests
{
    public static TheoryData<string> Names => [.. Scenarios.All.Select(s => s.Name)];

    private static readonly Dictionary<string, Lazy<RunTrace>> Traces =
        Scenarios.All.ToDictionary(s => s.Name, s => new Lazy<RunTrace>(() => s.Run(0)));

    private static Scenario Named(string name) => Scenarios.All.Single(s => s.Name == name);

    /// <summary>The scenario's seed-0 run, trained once for all the tests here.</summary>
    private static RunTrace Trace(Scenario scenario) => Traces[scenario.Name].Value;

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_scenario_is_scored_by_the_kind_its_construction_gives_it(string name)
    {
        var scenario = Named(name);

        var findings = HealthCheck.Diagnose(Trace(scenario));

        Assert.Equal(scenario.Expected, HealthCheck.Primary(findings).Kind);
        bool failed = scenario.Expected is not (HealthKind.Healthy or HealthKind.ClippingIdle);
        Assert.Equal(failed, findings.Any(f => f.IsProblem));
    }

    [Fact]
    public void The_contained_rnn_is_healthy_with_info_findings_on_its_clipping()
    {
        var findings = HealthCheck.Diagnose(Trace(Scenarios.RnnContained));

        Assert.Equal(HealthKind.Healthy, findings[0].Kind);
        Assert.Contains("of an epoch's steps (max_norm 1)", findings[0].Evidence);
        var spike = Assert.Single(findings, f => f.Kind == HealthKind.GradientSpike);
        Assert.Contains("clipping capped it and the loss recovered", spike.Summary);
        Assert.All(findings, f => Assert.Equal(HealthSeverity.Info, f.Severity));
    }

    [Fact]
    public void The_data_fault_is_pinned_on_the_corrupted_step()
    {
        var finding = HealthCheck.Primary(HealthCheck.Diagnose(Trace(Scenarios.DataFault), step => $"batch {step}"));

        Assert.Equal(Scenarios.DataFaultStep, finding.FirstStep);
        Assert.Contains($"look at the batch of step {Scenarios.DataFaultStep} (batch {Scenarios.DataFaultStep})", finding.Suggestion);
    }

    [Fact]
    public void Vanishing_gradients_are_told_apart_from_over_clipping_and_clipping_is_not_offered_as_the_cure()
    {
        var findings = HealthCheck.Diagnose(Trace(Scenarios.Vanishing));

        var vanishing = HealthCheck.Primary(findings);
        Assert.Equal(HealthKind.VanishingGradients, vanishing.Kind);
        Assert.Contains("Clipping cannot help", vanishing.Suggestion);
        Assert.DoesNotContain(findings, f => f.Kind == HealthKind.OverClipped);
        Assert.Contains(": 0.weight had gradient norm", vanishing.Evidence);
    }

    [Fact]
    public void A_rate_far_too_high_is_blamed_on_the_rate_and_never_told_to_raise_the_threshold()
    {
        var findings = HealthCheck.Diagnose(Trace(Scenarios.RateTooHigh));

        Assert.Equal(HealthKind.ClippingIneffective, HealthCheck.Primary(findings).Kind);
        Assert.Contains("lower the learning rate", HealthCheck.Primary(findings).Suggestion);
        Assert.DoesNotContain(findings, f => f.Suggestion.Contains("Raise max_norm", StringComparison.Ordinal));
    }
}
