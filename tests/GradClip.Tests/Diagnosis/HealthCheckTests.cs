using GradClip.Diagnosis;
using GradClip.Monitoring;

namespace GradClip.Tests.Diagnosis;

public class HealthCheckTests
{
    private static readonly IReadOnlyDictionary<string, double> NoNorms = new Dictionary<string, double>();

    /// <summary>A run of <paramref name="count"/> steps with loss and norm given per step, clipped at maxNorm when set.</summary>
    private static List<StepRecord> Run(int count, Func<int, double> loss, Func<int, double> norm, double? maxNorm, Func<int, string[]>? nonFinite = null)
    {
        var steps = new List<StepRecord>();
        for (int i = 0; i < count; i++)
        {
            double before = norm(i);
            double coefficient = maxNorm is { } m ? Math.Min(1, m / (before + 1e-6)) : 1;
            steps.Add(new StepRecord(1 + i / 10, i + 1, loss(i), before, before * coefficient, coefficient, coefficient < 1 || double.IsNaN(coefficient),
                false, 0.1, NoNorms, nonFinite?.Invoke(i) ?? []));
        }
        return steps;
    }

    private static double Noise(int i) => 1 + 0.2 * Math.Sin(i * 1.7);

    [Fact]
    public void A_falling_loss_with_occasional_clipping_is_healthy()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5 }));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
        Assert.False(finding.IsProblem);
        Assert.Contains("clipping fired on", finding.Evidence);
    }

    [Fact]
    public void NaN_gradients_without_clipping_are_exploding_and_name_the_first_step_and_parameters()
    {
        var steps = Run(40, i => i < 30 ? 1.0 : double.NaN, i => i < 29 ? 2 * Math.Pow(1.3, i) : double.NaN, maxNorm: null,
            i => i >= 29 ? ["rnn.weight_hh"] : []);

        var finding = HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None }).First();

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(30, finding.FirstStep);
        Assert.Contains("rnn.weight_hh", finding.Evidence);
        Assert.Contains("Turn on clipping", finding.Suggestion);
    }

    [Fact]
    public void A_non_finite_loss_despite_clipping_says_clipping_is_ineffective()
    {
        var steps = Run(50, i => i == 35 ? double.PositiveInfinity : 1.0, i => 3 * Noise(i), maxNorm: 1);

        var finding = HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 }).First();

        Assert.Equal(HealthKind.ClippingIneffective, finding.Kind);
        Assert.Equal(36, finding.FirstStep);
        Assert.Contains("lower the learning rate", finding.Suggestion);
    }

    [Fact]
    public void Clipping_every_step_while_the_loss_stalls_is_over_clipping_and_suggests_the_median_norm()
    {
        var steps = Run(100, i => 1.0 * Noise(i), i => 40 * Noise(i), maxNorm: 0.01);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 0.01 }));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        double median = Percentile.Median(steps.Select(s => s.NormBefore));
        Assert.Contains($"Raise max_norm to about {median:G3}", finding.Suggestion);
        Assert.Contains("almost nothing", finding.Evidence);
    }

    [Fact]
    public void Clipping_that_never_fires_is_idle_and_a_threshold_is_suggested()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0), i => 2 * Noise(i), maxNorm: 1000);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1000 }));

        Assert.Equal(HealthKind.ClippingIdle, finding.Kind);
        Assert.Contains($"{Percentile.Of(steps.Select(s => s.NormBefore), 90):G3}", finding.Suggestion);
    }

    [Fact]
    public void A_loss_jump_with_an_ordinary_gradient_points_at_the_data()
    {
        var steps = Run(80, i => i == 60 ? 20 : 1.0 * Math.Exp(-i / 40.0) * Noise(i), i => 3 * Noise(i), maxNorm: 3.2);

        var finding = HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 3.2 }).Single(f => f.Kind == HealthKind.LossSpikeWithoutGradientSpike);

        Assert.Equal(61, finding.FirstStep);
        Assert.Contains("bad rows, wrong labels", finding.Suggestion);
    }

    [Fact]
    public void A_norm_spike_of_orders_of_magnitude_without_clipping_is_exploding()
    {
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: null);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None }));

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(46, finding.FirstStep);
    }

    [Fact]
    public void The_same_spike_contained_by_clipping_is_reported_as_healthy()
    {
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: 3.3);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 3.3 }));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
        Assert.Contains("contained 1 spike", finding.Evidence);
    }

    [Fact]
    public void A_spike_capped_at_a_max_norm_far_above_the_typical_norm_is_contained_not_exploding()
    {
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 0.005 * Noise(i), maxNorm: 1);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 }));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
        Assert.Contains("contained 1 spike", finding.Evidence);
    }

    [Fact]
    public void A_spike_that_clipping_let_through_is_exploding_even_with_clipping_on()
    {
        // An adaptive clipper still warming up (or a threshold above the spike) passes the spike unscaled: after = before.
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: 1e6);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm }));

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(46, finding.FirstStep);
        Assert.Contains("clipping let the spikes through", finding.Summary);
        Assert.Contains("norm 5E+03 after clipping", finding.Evidence);
    }

    [Fact]
    public void A_flat_loss_without_clipping_problems_is_not_learning()
    {
        var steps = Run(50, i => 1.1 * Noise(i), i => 1 * Noise(i), maxNorm: null);

        Assert.Equal(HealthKind.NotLearning, Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None })).Kind);
    }

    [Fact]
    public void A_falling_loss_with_chance_accuracy_is_not_learning_and_points_at_the_norm_peak()
    {
        var steps = Run(100, i => i == 0 ? 50 : 1.1 * Noise(i), i => i == 3 ? 3000 : 0.01 * Noise(i), maxNorm: null);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 1.1, valAccuracy: 0.34) };

        var finding = Assert.Single(HealthCheck.Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, ClassCount = 3 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Equal(4, finding.FirstStep);
        Assert.Contains("chance is 0.333 for 3 classes", finding.Evidence);
        Assert.Contains("turn on clipping by norm", finding.Suggestion);
    }

    [Fact]
    public void A_regression_no_better_than_predicting_the_mean_is_not_learning()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 0.24, valAccuracy: null), EpochSummary.Of(2, steps, valLoss: 0.215, valAccuracy: null) };

        var finding = Assert.Single(HealthCheck.Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, MeanPredictionLoss = 0.231 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Equal("The model predicts no better than the targets' mean.", finding.Summary);
        Assert.Contains("Best validation loss 0.215; always predicting the training targets' mean scores 0.231", finding.Evidence);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.01)]
    public void A_regression_that_removed_a_tenth_of_the_mean_predictions_loss_is_not_flagged(double bestLoss)
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: bestLoss, valAccuracy: null) };

        Assert.Equal(HealthKind.Healthy, Assert.Single(HealthCheck.Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, MeanPredictionLoss = 0.231 })).Kind);
    }

    [Fact]
    public void Accuracy_clearly_above_chance_is_not_flagged()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 0.3, valAccuracy: 0.9) };

        Assert.Equal(HealthKind.Healthy, Assert.Single(HealthCheck.Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, ClassCount = 3 })).Kind);
    }

    [Fact]
    public void A_max_norm_that_scales_every_update_to_almost_nothing_is_over_clipping_even_while_the_loss_falls()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0), i => 500 * Noise(i), maxNorm: 1);

        var finding = Assert.Single(HealthCheck.Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 }));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        Assert.Contains("almost nothing", finding.Summary);
    }

    [Fact]
    public void A_long_clean_run_on_the_built_in_data_is_healthy()
    {
        var data = GradClip.Data.BuiltInData.Shells(0);
        var split = GradClip.Data.DataSplit.Create(data, 0.2, 0);
        var model = new GradClip.Training.MlpSpec(10, [64, 32], 3).Build(0);
        var trainer = new GradClip.Training.Trainer(model, new GradClip.Optim.Adam(model.Parameters(), 3e-3), new GradClip.Clipping.NoClip(),
            new GradClip.Training.TrainerOptions(Epochs: 100));

        var result = trainer.Fit(data, split, GradClip.Data.Standardizer.Fit(data, split.TrainRows.AsSpan()));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(HealthKind.Healthy, finding.Kind);
    }
}
