using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Tests.Diagnosis;

/// <summary>The verdicts on reinforcement-learning runs: judged on the return and the gradient norms, not on the loss.</summary>
public class HealthCheckReturnTests
{
    private const int StepsPerEpoch = 5;

    /// <summary>
    /// A run of one epoch per entry of <paramref name="returns"/>, <see cref="StepsPerEpoch"/> steps each, whose gradient norm
    /// is <paramref name="norm"/> of the step, clipped at <paramref name="maxNorm"/> when set; the policy loss swings up and down.
    /// </summary>
    private static IReadOnlyList<HealthFinding> Diagnose(double[] returns, Func<int, double> norm, double? maxNorm, RunSetup? setupAs = null)
    {
        var steps = new List<StepRecord>();
        var epochs = new List<EpochSummary>();
        for (int epoch = 1; epoch <= returns.Length; epoch++)
        {
            var own = new List<StepRecord>();
            for (int k = 0; k < StepsPerEpoch; k++)
            {
                int step = steps.Count + 1;
                double before = norm(step);
                double coefficient = maxNorm is { } m ? Math.Min(1, m / (before + 1e-6)) : 1;
                var record = new StepRecord(epoch, step, 20 * Math.Sin(step), before, before * coefficient, coefficient, coefficient < 1, false, 0.01,
                    new Dictionary<string, double>(), []);
                own.Add(record);
                steps.Add(record);
            }
            epochs.Add(EpochSummary.Of(epoch, own, null, [new MetricValue(EpochMetric.MeanReturn.Name, returns[epoch - 1])]));
        }
        var setup = setupAs ?? (maxNorm is { } max ? new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = max } : new RunSetup { Clipping = ClippingKind.None });
        return HealthCheck.Diagnose(RunTrace.FromRecords(steps, epochs, setup));
    }

    [Fact]
    public void A_rising_return_is_healthy_although_the_loss_did_not_fall()
    {
        var finding = Assert.Single(Diagnose([20, 35, 60, 110, 180, 260, 240, 330], step => 30 + 10 * step, maxNorm: 5));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
        Assert.Contains("Mean return 20 in epoch 1, best 330 in epoch 8", finding.Evidence);
        Assert.Contains("clipping fired on 100 %", finding.Evidence);
    }

    [Fact]
    public void A_return_that_collapses_after_a_large_unclipped_step_is_exploding_and_names_the_step()
    {
        // The return rises to 90 by epoch 3; a norm of 900 at step 17 (epoch 4) is followed by a policy stuck at 9.
        var findings = Diagnose([25, 50, 90, 40, 9, 9, 9, 9], step => step == 17 ? 900 : 20, maxNorm: null);

        var finding = Assert.Single(findings);
        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(HealthSeverity.Error, finding.Severity);
        Assert.Equal(17, finding.FirstStep);
        Assert.Contains("best 90 in epoch 3, 9 in epoch 8", finding.Evidence);
        Assert.Contains("step 17, norm 900 (45× the median of the steps up to it), not clipped", finding.Evidence);
        Assert.Contains("Clip by norm with a fixed max_norm (the rule of thumb for a small network is 5–10)", finding.Suggestion);
    }

    [Fact]
    public void A_return_that_swings_below_half_its_best_but_stays_above_its_start_is_not_a_collapse()
    {
        var finding = Assert.Single(Diagnose([20, 80, 200, 500, 190], step => 100, maxNorm: 5));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
    }

    [Fact]
    public void A_stalled_return_under_clipping_on_every_step_is_over_clipped_and_says_to_raise_max_norm()
    {
        var finding = Assert.Single(Diagnose([20, 22, 19, 21, 20, 23, 21, 22], step => 400, maxNorm: 0.01));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        Assert.Contains("Raise max_norm towards the median gradient norm (400)", finding.Suggestion);
    }

    [Fact]
    public void A_stalled_return_without_clipping_is_not_learning()
    {
        var finding = Assert.Single(Diagnose([20, 22, 19, 21, 20, 23, 21, 22], step => 0.5, maxNorm: null));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
    }

    [Fact]
    public void A_return_that_falls_below_its_start_without_ever_rising_is_a_collapse_not_a_call_for_a_higher_learning_rate()
    {
        // A long first step (norm 500 at step 3) and the return falls from 15 to about 9: a cart pushed one way.
        var finding = Assert.Single(Diagnose([15.1, 12, 10, 9.5, 9.4, 9.35], step => step == 3 ? 500 : 5, maxNorm: null));

        Assert.Equal((HealthKind.Exploding, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Equal("The return fell below its first epoch's under unclipped gradient steps: the policy ended worse than it started.", finding.Summary);
        Assert.Contains("step 3, norm 500", finding.Evidence);
        Assert.StartsWith("Clip by norm with a fixed max_norm", finding.Suggestion);
        Assert.DoesNotContain("raise the learning rate", finding.Suggestion);
    }

    [Fact]
    public void A_policy_whose_gradients_vanished_has_collapsed_even_when_its_return_barely_fell()
    {
        // After epoch 1 the policy is certain of its actions: every later norm is 0, the return 20.6 → 16.2.
        var finding = Assert.Single(Diagnose([20.6, 17, 16.5, 16.2, 16.3, 16.2], step => step <= StepsPerEpoch ? 300 : 0, maxNorm: null));

        Assert.Equal((HealthKind.Exploding, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Equal("The policy collapsed under unclipped gradient steps: it picks its actions with certainty, so its gradients vanished and it cannot recover.", finding.Summary);
        Assert.Contains("in epoch 6 the gradient norm was at most 0, against 300 at step 1", finding.Evidence);
    }

    [Fact]
    public void A_collapse_under_clipping_that_never_fired_says_so_and_advises_a_fixed_max_norm()
    {
        // ZClip still warming up: clipping on, never firing.
        var finding = Assert.Single(Diagnose([25, 50, 90, 40, 9, 9, 9, 9], step => step == 17 ? 900 : 20, maxNorm: null,
            new RunSetup { Clipping = ClippingKind.Adaptive }));

        Assert.Equal((HealthKind.Exploding, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Equal("The return collapsed after epoch 3 with clipping on but never firing: the policy lost what it had learned.", finding.Summary);
        Assert.StartsWith("Clip by norm with a fixed max_norm", finding.Suggestion);
        Assert.DoesNotContain("lower max_norm", finding.Suggestion);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Too_few_epochs_of_a_return_that_has_not_risen_yet_are_not_judged_a_stall(int epochs)
    {
        double[] returns = [29, 31, 30];
        var finding = Assert.Single(Diagnose(returns[..epochs], step => 400, maxNorm: 1));

        Assert.Equal((HealthKind.TooFewEpochs, HealthSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Contains("train for at least 5 epochs", finding.Suggestion);
    }

    [Fact]
    public void A_folder_without_its_setup_is_judged_clipped_from_its_steps()
    {
        // An interrupted run's folder has no summary: the clipping is read off its steps.
        var finding = Assert.Single(Diagnose([20, 22, 19, 21, 20, 23, 21, 22], step => 400, maxNorm: 0.01, new RunSetup()));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
    }
}
