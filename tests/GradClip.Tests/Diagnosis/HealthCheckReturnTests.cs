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
    private static IReadOnlyList<HealthFinding> Diagnose(double[] returns, Func<int, double> norm, double? maxNorm)
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
        var setup = maxNorm is { } max ? new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = max } : new RunSetup { Clipping = ClippingKind.None };
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
        Assert.Contains("Clip by norm (the rule of thumb for a small network is max_norm 5–10)", finding.Suggestion);
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
}
