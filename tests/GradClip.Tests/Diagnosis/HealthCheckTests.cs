using GradClip.Metrics;
using GradClip.Diagnosis;
using GradClip.Monitoring;

namespace GradClip.Tests.Diagnosis;

public class HealthCheckTests
{
    /// <summary>Per-parameter norms: NaN for the parameters named, 1 for a second one.</summary>
    private static Dictionary<string, double> Norms(string[] nonFinite) =>
        nonFinite.Length == 0 ? [] : nonFinite.ToDictionary(n => n, _ => double.NaN).Append(KeyValuePair.Create("other.weight", 1.0)).ToDictionary();

    /// <summary>A run of <paramref name="count"/> steps with loss and norm given per step, clipped at maxNorm when set.</summary>
    private static List<StepRecord> Run(int count, Func<int, double> loss, Func<int, double> norm, double? maxNorm, Func<int, string[]>? nonFinite = null)
    {
        var steps = new List<StepRecord>();
        for (int i = 0; i < count; i++)
        {
            double before = norm(i);
            double coefficient = maxNorm is { } m ? Math.Min(1, m / (before + 1e-6)) : 1;
            steps.Add(new StepRecord(1 + i / 10, i + 1, loss(i), before, before * coefficient, coefficient, coefficient < 1 || double.IsNaN(coefficient),
                false, 0.1, Norms(nonFinite?.Invoke(i) ?? []), nonFinite?.Invoke(i) ?? []));
        }
        return steps;
    }

    private static IReadOnlyList<HealthFinding> Diagnose(IReadOnlyList<StepRecord> steps, IReadOnlyList<EpochSummary> epochs, RunSetup setup) =>
        HealthCheck.Diagnose(RunTrace.FromRecords(steps, epochs, setup));

    private static double Noise(int i) => 1 + 0.2 * Math.Sin(i * 1.7);

    /// <summary>A summary per epoch of <paramref name="steps"/>, each ending at chance for 3 classes (val_loss 1.1, accuracy 0.34).</summary>
    private static EpochSummary[] AtChance(List<StepRecord> steps) =>
        [.. steps.GroupBy(s => s.Epoch).Select(g => EpochSummary.Of(g.Key, g.ToList(), 1.1, [new MetricValue("val_accuracy", 0.34)]))];

    [Fact]
    public void A_falling_loss_with_occasional_clipping_is_healthy()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);

        var finding = Assert.Single(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5 }));

        Assert.Equal(HealthKind.Healthy, finding.Kind);
        Assert.False(finding.IsProblem);
        Assert.Contains("clipping fired on", finding.Evidence);
    }

    [Fact]
    public void NaN_gradients_without_clipping_are_exploding_and_name_the_first_step_and_parameters()
    {
        var steps = Run(40, i => i < 30 ? 1.0 : double.NaN, i => i < 29 ? 2 * Math.Pow(1.3, i) : double.NaN, maxNorm: null,
            i => i >= 29 ? ["rnn.weight_hh"] : []);

        var finding = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None }).First();

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(30, finding.FirstStep);
        Assert.Contains("rnn.weight_hh", finding.Evidence);
        Assert.Contains("Turn on clipping", finding.Suggestion);
    }

    [Fact]
    public void A_non_finite_loss_despite_clipping_says_clipping_is_ineffective()
    {
        var steps = Run(50, i => i == 35 ? double.PositiveInfinity : 1.0, i => 3 * Noise(i), maxNorm: 1);

        var finding = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 }).First();

        Assert.Equal(HealthKind.ClippingIneffective, finding.Kind);
        Assert.Equal(36, finding.FirstStep);
        Assert.Contains("lower the learning rate", finding.Suggestion);
    }

    [Fact]
    public void Clipping_every_step_while_the_loss_stalls_is_over_clipping_and_suggests_the_median_norm()
    {
        var steps = Run(100, i => 1.0 * Noise(i), i => 40 * Noise(i), maxNorm: 0.01);

        var finding = Assert.Single(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 0.01 }));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        double median = Percentile.Median(steps.Select(s => s.NormBefore));
        Assert.Contains($"Raise max_norm to about {median:G3}", finding.Suggestion);
        Assert.Contains("The effective learning rate was about", finding.Suggestion);
    }

    [Fact]
    public void Clipping_that_never_fires_is_idle_and_a_threshold_is_suggested()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0), i => 2 * Noise(i), maxNorm: 1000);

        var finding = Assert.Single(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1000 }));

        Assert.Equal(HealthKind.ClippingIdle, finding.Kind);
        Assert.Contains($"{Percentile.Of(steps.Select(s => s.NormBefore), 90):G3}", finding.Suggestion);
    }

    [Fact]
    public void A_loss_jump_with_an_ordinary_gradient_points_at_the_data()
    {
        var steps = Run(80, i => i == 60 ? 20 : 1.0 * Math.Exp(-i / 40.0) * Noise(i), i => 3 * Noise(i), maxNorm: 3.2);

        var finding = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 3.2 }).Single(f => f.Kind == HealthKind.LossSpikeWithoutGradientSpike);

        Assert.Equal(61, finding.FirstStep);
        Assert.Contains("bad rows, wrong labels", finding.Suggestion);
    }

    [Fact]
    public void A_norm_spike_of_orders_of_magnitude_without_clipping_is_exploding()
    {
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: null);

        var finding = Assert.Single(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None }));

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(46, finding.FirstStep);
    }

    [Theory]
    [InlineData(3.3)]
    [InlineData(1.0)]
    public void A_spike_that_clipping_capped_is_reported_beside_a_healthy_verdict_with_the_loss_recovering(double maxNorm)
    {
        // With max_norm 1 the cap is far above the typical norm (0.005) and still a spike of five thousand is cut.
        double typical = maxNorm > 2 ? 3 : 0.005;
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : typical * Noise(i), maxNorm);

        var findings = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = maxNorm });

        Assert.Equal(HealthKind.Healthy, HealthCheck.Primary(findings).Kind);
        var spike = Assert.Single(findings, f => f.Kind == HealthKind.GradientSpike);
        Assert.Equal(HealthSeverity.Info, spike.Severity);
        Assert.Equal(46, spike.FirstStep);
        Assert.Contains("the loss recovered", spike.Summary);
        Assert.Contains($"Step 46: gradient norm 5E+03, after {steps[44].NormBefore:G3} at step 45, capped to {maxNorm:G3}", spike.Evidence);
    }

    [Fact]
    public void A_capped_spike_after_which_the_loss_stays_high_is_a_warning()
    {
        var steps = Run(80, i => i < 45 ? 2.0 * Math.Exp(-i / 30.0) : 3 * Noise(i), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: 3.3);

        var spike = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 3.3 }).Single(f => f.Kind == HealthKind.GradientSpike);

        Assert.Equal(HealthSeverity.Warning, spike.Severity);
        Assert.Contains("did not recover", spike.Summary);
    }

    [Fact]
    public void A_capped_spike_whose_loss_stays_high_for_a_while_and_then_falls_below_its_level_recovered()
    {
        // The loss is 3 for 55 steps after the spike (no recovery within the window), then 0.2 to the end, below the
        // level before the spike (about 0.6): the run came back, so the capped spike is information, not a warning.
        var steps = Run(200, i => i < 45 ? 2.0 * Math.Exp(-i / 30.0) : i < 100 ? 3 * Noise(i) : 0.2 * Noise(i),
            i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: 3.3);

        var spike = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 3.3 }).Single(f => f.Kind == HealthKind.GradientSpike);

        Assert.Equal(HealthSeverity.Info, spike.Severity);
        Assert.Contains("the loss recovered", spike.Summary);
        Assert.Contains($"then fell back to {0.2 * Noise(199):G3} by step 200", spike.Evidence);
    }

    [Fact]
    public void An_unclipped_spike_after_which_the_loss_came_down_but_the_model_stayed_at_chance_is_an_error_that_says_so()
    {
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: null);
        var epochs = AtChance(steps);

        var finding = HealthCheck.Primary(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, ClassCount = 3 }));

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(HealthSeverity.Error, finding.Severity);
        Assert.Contains("the loss came back down, but the model ended no better than chance", finding.Summary);
    }

    [Fact]
    public void A_model_at_chance_under_clipping_on_every_step_is_told_to_raise_the_threshold_not_to_lower_the_rate()
    {
        // Clipping at 0.01 cuts every step of norm about 3, and validation accuracy stays at chance.
        var steps = Run(100, i => 1.1 - 0.0001 * i, i => 3 * Noise(i), maxNorm: 0.01);
        var epochs = AtChance(steps);

        var finding = HealthCheck.Primary(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 0.01, ClassCount = 3 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Contains("clipping fired on 100 %", finding.Evidence);
        Assert.Contains("Raise max_norm", finding.Suggestion);
        Assert.DoesNotContain("smaller learning rate", finding.Suggestion);
    }

    [Fact]
    public void A_spike_that_clipping_let_through_is_exploding_even_with_clipping_on()
    {
        // A threshold above the spike passes it unscaled: after = before, and clipping never fired.
        var steps = Run(60, i => 2.0 * Math.Exp(-i / 30.0), i => i == 45 ? 5000 : 3 * Noise(i), maxNorm: 1e6);

        var findings = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1e6 });

        var finding = HealthCheck.Primary(findings);
        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(46, finding.FirstStep);
        Assert.Contains("clipping let it through", finding.Summary);
        Assert.Contains(findings, f => f.Kind == HealthKind.ClippingIdle);
    }

    [Fact]
    public void A_flat_loss_without_clipping_problems_is_not_learning()
    {
        var steps = Run(50, i => 1.1 * Noise(i), i => 1 * Noise(i), maxNorm: null);

        Assert.Equal(HealthKind.NotLearning, Assert.Single(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.None })).Kind);
    }

    [Fact]
    public void An_early_norm_explosion_without_clipping_that_leaves_the_model_at_chance_is_exploding()
    {
        var steps = Run(100, i => i == 0 ? 50 : 1.1 * Noise(i), i => i == 3 ? 3000 : 0.01 * Noise(i), maxNorm: null);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 1.1, metrics: [new MetricValue("val_accuracy", 0.34)]) };

        var finding = HealthCheck.Primary(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, ClassCount = 3 }));

        Assert.Equal(HealthKind.Exploding, finding.Kind);
        Assert.Equal(HealthSeverity.Error, finding.Severity);
        Assert.Equal(4, finding.FirstStep);
        Assert.Contains("Step 4: gradient norm 3E+03", finding.Evidence);
        Assert.Contains("Clip by norm", finding.Suggestion);
    }

    [Fact]
    public void Chance_accuracy_without_a_gradient_explosion_is_not_learning()
    {
        var steps = Run(100, i => 1.1 * Noise(i), i => 0.5 * Noise(i), maxNorm: null);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 1.1, metrics: [new MetricValue("val_accuracy", 0.34)]) };

        var finding = HealthCheck.Primary(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, ClassCount = 3 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Contains("Final validation accuracy 0.34, no better than guessing a class", finding.Evidence);
        Assert.StartsWith("Chance accuracy is 0.333 for 3 classes.", finding.Suggestion);
    }

    [Fact]
    public void A_regression_no_better_than_predicting_the_mean_is_not_learning()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 0.24, metrics: []), EpochSummary.Of(2, steps, valLoss: 0.215, metrics: []) };

        var finding = Assert.Single(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, MeanPredictionLoss = 0.231 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Equal("The model predicts no better than the targets' mean.", finding.Summary);
        Assert.Contains("Best validation loss 0.215, no better than always predicting the training targets' mean", finding.Evidence);
        Assert.StartsWith("Predicting the mean scores a validation loss of 0.231.", finding.Suggestion);
    }

    /// <summary>
    /// The transformer task's unclipped run on seed 0, in shape: the loss falls from 4.26 to the unigram level (3.28) in a few
    /// steps, an unclipped gradient spike (80× the median norm) at step 17, then 100 steps on the plateau.
    /// </summary>
    private static List<StepRecord> LanguageModelRun(Func<int, double> loss) =>
        Run(120, loss, i => i == 16 ? 30 : 0.37 * Noise(i), maxNorm: null);

    [Fact]
    public void A_language_model_left_at_the_unigram_baseline_after_an_unclipped_spike_is_not_learning_and_is_told_to_clip()
    {
        var steps = LanguageModelRun(i => i < 4 ? 4.26 - 0.25 * i : 3.3 + 0.03 * Math.Sin(i * 1.7));
        var epochs = steps.GroupBy(s => s.Epoch).Select(g => EpochSummary.Of(g.Key, g.ToList(), valLoss: 3.29, metrics: [])).ToArray();

        var finding = HealthCheck.Primary(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, UnigramLoss = 3.2845 }));

        Assert.Equal(HealthKind.NotLearning, finding.Kind);
        Assert.Equal(HealthSeverity.Error, finding.Severity);
        Assert.Equal("The model predicts no better than the unigram baseline (each token predicted by its frequency alone).", finding.Summary);
        Assert.Equal("Best validation loss 3.29 (perplexity 26.8), no better than the unigram baseline's 3.28 (perplexity 26.7); the gradient norm peaked at 30 at step 17.", finding.Evidence);
        Assert.StartsWith("Predicting each token by its training frequency scores a validation loss of 3.28 (perplexity 26.7). ", finding.Suggestion);
        Assert.Contains("turn on clipping by norm", finding.Suggestion);
        Assert.DoesNotContain("standardize", finding.Suggestion);
    }

    [Fact]
    public void A_language_model_well_below_the_unigram_baseline_is_not_called_not_learning()
    {
        var steps = LanguageModelRun(i => 4.26 - 2 * (1 - Math.Exp(-i / 30.0)) + 0.03 * Math.Sin(i * 1.7));
        var epochs = steps.GroupBy(s => s.Epoch).Select(g => EpochSummary.Of(g.Key, g.ToList(), valLoss: 4.3 - 0.17 * g.Key, metrics: [])).ToArray();

        var findings = Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.None, UnigramLoss = 3.2845 });

        Assert.DoesNotContain(findings, f => f.Kind == HealthKind.NotLearning);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.01)]
    public void A_regression_that_removed_a_tenth_of_the_mean_predictions_loss_is_not_flagged(double bestLoss)
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: bestLoss, metrics: []) };

        Assert.Equal(HealthKind.Healthy, Assert.Single(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, MeanPredictionLoss = 0.231 })).Kind);
    }

    [Fact]
    public void Accuracy_clearly_above_chance_is_not_flagged()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 30.0) * Noise(i), i => 5 * Noise(i), maxNorm: 5.5);
        var epochs = new[] { EpochSummary.Of(1, steps, valLoss: 0.3, metrics: [new MetricValue("val_accuracy", 0.9)]) };

        Assert.Equal(HealthKind.Healthy, Assert.Single(Diagnose(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 5.5, ClassCount = 3 })).Kind);
    }

    [Fact]
    public void Clipping_every_step_while_the_loss_levels_off_low_is_frequent_clipping_with_the_effective_learning_rate()
    {
        var steps = Run(100, i => 2.0 * Math.Exp(-i / 20.0), i => 500 * Noise(i), maxNorm: 1);

        var findings = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 });

        Assert.Equal(HealthKind.Healthy, HealthCheck.Primary(findings).Kind);
        var frequent = Assert.Single(findings, f => f.Kind == HealthKind.FrequentClipping);
        Assert.Equal(HealthSeverity.Info, frequent.Severity);
        Assert.Contains("Clipping fired on 100 % of the steps of every epoch (max_norm 1)", frequent.Evidence);
        Assert.Contains("at learning rate 0.1.", frequent.Evidence);
        Assert.Contains("The effective learning rate was about", frequent.Suggestion);
    }

    [Fact]
    public void Clipping_every_step_while_the_loss_is_still_falling_steadily_at_the_end_is_over_clipping()
    {
        var steps = Run(100, i => 2.0 - 0.015 * i, i => 500 * Noise(i), maxNorm: 1);

        var finding = HealthCheck.Primary(Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 }));

        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        Assert.Equal(HealthSeverity.Warning, finding.Severity);
        Assert.Contains("still crawling down", finding.Summary);
        Assert.Contains("Raise max_norm", finding.Suggestion);
    }

    [Fact]
    public void Advice_under_clipping_by_value_names_clip_value_and_never_max_norm()
    {
        var steps = Run(100, i => 2.0 - 0.015 * i, i => 500 * Noise(i), maxNorm: 1);

        var findings = Diagnose(steps, [], new RunSetup { Clipping = ClippingKind.Value, ClipValue = 0.01 });

        var finding = HealthCheck.Primary(findings);
        Assert.Equal(HealthKind.OverClipped, finding.Kind);
        Assert.Contains("clip_value 0.01", finding.Evidence);
        Assert.Contains("Raise clip_value", finding.Suggestion);
        Assert.DoesNotContain(findings, f => f.Suggestion.Contains("max_norm", StringComparison.Ordinal));
    }

    [Fact]
    public void A_long_clean_run_on_the_built_in_data_is_healthy()
    {
        var data = GradClip.Data.BuiltInData.Shells(0);
        var split = GradClip.Data.DataSplit.Create(data, 0.2, 0);
        // One generator for the initialization and the batch order, as gradclip train draws them. Adam at 3e-4 does not
        // overfit the 800 training rows within 100 epochs (seeds 0 to 3 alike); at 3e-3 it does, and the judge says so.
        var generator = new GradClip.Randomness.Generator(0);
        var model = new GradClip.Training.MlpSpec(10, [64, 32], 3).Build(generator);
        var trainer = new GradClip.Training.Trainer(model, new GradClip.Optim.Adam(model.Parameters(), 3e-4), new GradClip.Clipping.NoClip(),
            new GradClip.Training.TrainerOptions(Epochs: 100), generator: generator);

        var result = trainer.Fit(data, split, GradClip.Data.Standardizer.Fit(data, split.TrainRows.AsSpan()));

        var finding = Assert.Single(Diagnose(result.Steps, result.Epochs, new RunSetup { Clipping = ClippingKind.None, ClassCount = 3 }));
        Assert.Equal(HealthKind.Healthy, finding.Kind);
    }

    /// <summary>A held-out corpus run exported as trainer_state.json logging every <paramref name="loggingSteps"/> steps, read back and judged.</summary>
    private static IReadOnlyList<HealthFinding> DiagnoseExport(GradClip.Corpus.Scenario scenario, int loggingSteps)
    {
        var trace = scenario.Run(5);
        using var folder = new Tests.Data.TempFolder();
        string path = folder.Write("trainer_state.json", GradClip.Logs.TraceExport.TrainerState(trace, loggingSteps));
        var options = new GradClip.Logs.LogOptions(MaxNorm: trace.Setup.Clipping == ClippingKind.Norm ? trace.Setup.MaxNorm : 0);
        return HealthCheck.Diagnose(GradClip.Logs.LogReader.Read(path, options).Trace);
    }

    [Theory]
    [InlineData("data-fault", 10)]
    [InlineData("data-fault", 50)]
    [InlineData("exploding", 50)]
    [InlineData("rate-too-high", 10)]
    [InlineData("rate-too-high", 50)]
    public void A_sparse_trainer_state_of_a_failed_corpus_run_is_never_called_healthy(string scenario, int loggingSteps)
    {
        var findings = DiagnoseExport(GradClip.Corpus.Scenarios.All.Single(s => s.Name == scenario), loggingSteps);

        Assert.DoesNotContain(findings, f => f.Kind == HealthKind.Healthy);
        Assert.NotEqual(HealthSeverity.Info, HealthCheck.Primary(findings).Severity);
    }

    [Fact]
    public void A_one_batch_data_fault_shows_in_the_mean_loss_of_its_logging_interval()
    {
        var findings = DiagnoseExport(GradClip.Corpus.Scenarios.DataFault, 10);

        var spike = HealthCheck.Primary(findings);
        Assert.Equal(HealthKind.LossSpikeWithoutGradientSpike, spike.Kind);
        Assert.Equal(GradClip.Corpus.Scenarios.DataFaultStep, spike.FirstStep);
        Assert.Contains("steps 191–200", spike.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public void Six_logged_losses_of_a_healthy_run_give_a_warning_that_too_few_steps_were_logged()
    {
        var findings = DiagnoseExport(GradClip.Corpus.Scenarios.Healthy, 50);

        var primary = HealthCheck.Primary(findings);
        Assert.Equal((HealthKind.TooFewStepsLogged, HealthSeverity.Warning), (primary.Kind, primary.Severity));
        Assert.StartsWith("Only 6 of 300 steps were logged", primary.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_run_logged_every_ten_steps_is_still_healthy_and_says_what_it_cannot_see()
    {
        var findings = DiagnoseExport(GradClip.Corpus.Scenarios.Healthy, 10);

        var healthy = Assert.Single(findings);
        Assert.Equal(HealthKind.Healthy, healthy.Kind);
        Assert.Contains("30 of 300 steps logged", healthy.Evidence, StringComparison.Ordinal);
    }
}
