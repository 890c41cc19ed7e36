using System.Collections.Immutable;
using GradClip.Adaptive;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Tensors;
using GradClip.Tests.Data;
using GradClip.Training;

namespace GradClip.Tests.Training;

public class TrainerTests
{
    private static readonly TabularData Blobs = BuiltInData.Shells(0);
    private static readonly DataSplit BlobSplit = DataSplit.Create(Blobs, 0.2, 0);

    private static TrainingResult TrainBlobs(IGradientTransform clipping, int epochs, int seed = 0)
    {
        var model = new MlpSpec(10, [64, 32], 3).Build(seed);
        var trainer = new Trainer(model, new Adam(model.Parameters(), 3e-3), clipping, new TrainerOptions(epochs, 32, seed));
        return trainer.Fit(Blobs, BlobSplit, Standardizer.Fit(Blobs, BlobSplit.TrainRows.AsSpan()));
    }

    [Fact]
    public void Learns_the_built_in_data_to_at_least_85_percent_validation_accuracy()
    {
        var result = TrainBlobs(new ClipByGlobalNorm(1), epochs: 6);

        Assert.True(result.Best!.ValAccuracy >= 0.85, $"Validation accuracy {result.Best.ValAccuracy}");
        Assert.Null(result.StopReason);
        Assert.Equal(6, result.Epochs.Count);
        Assert.Equal(6 * 25, result.Steps.Count);
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss);
    }

    [Fact]
    public void Validation_over_more_rows_than_one_evaluation_pass_takes_gives_the_figures_of_a_single_pass()
    {
        // The built-in data 30 times over, half of it held out: 15,000 validation rows, more than one pass evaluates.
        var data = TabularData.ForClassification(
            [.. Enumerable.Repeat(Blobs.Features, 30).SelectMany(f => f)], Blobs.FeatureNames,
            [.. Enumerable.Repeat(Blobs.Labels, 30).SelectMany(l => l)], Blobs.ClassNames, new DataDescription("label", "test", "given", "built in"));
        var split = DataSplit.Create(data, 0.5, 0);
        var standardizer = Standardizer.Fit(data, split.TrainRows.AsSpan());
        var model = new MlpSpec(10, [64, 32], 3).Build(0);
        var trainer = new Trainer(model, new Adam(model.Parameters(), 3e-3), new ClipByGlobalNorm(1), new TrainerOptions(1, 5_000, 0));

        var result = trainer.Fit(data, split, standardizer);

        float[] standardized = standardizer.Transform(data.Features.AsSpan());
        int[] rows = [.. split.ValidationRows];
        var features = Tensor.FromArray([.. rows.SelectMany(r => standardized.AsSpan(r * 10, 10).ToArray())], rows.Length, 10);
        int[] labels = [.. rows.Select(r => data.Labels[r])];
        model.Eval();
        using var _ = Tensor.NoGrad();
        var output = model.Forward(features);
        Assert.True(rows.Length > 12_288, $"{rows.Length} validation rows");
        Assert.Equal(Tensor.CrossEntropy(output, labels).Item(), result.Epochs[0].ValLoss);
        Assert.Equal(output.ArgMax(1).Zip(labels).Count(p => p.First == p.Second) / (double)rows.Length, result.Epochs[0].ValAccuracy);
    }

    [Fact]
    public void The_same_seed_gives_identical_metrics()
    {
        var first = TrainBlobs(new ClipByGlobalNorm(1), epochs: 2, seed: 3);
        var second = TrainBlobs(new ClipByGlobalNorm(1), epochs: 2, seed: 3);

        Assert.Equal(first.Epochs, second.Epochs);
        Assert.Equal(first.Steps.Select(s => s.NormBefore), second.Steps.Select(s => s.NormBefore));
    }

    [Fact]
    public void Recorded_norms_before_and_after_agree_with_Clip_GradNorm_on_the_same_gradients()
    {
        var witness = new GradNormWitness(new ClipByGlobalNorm(0.5));

        var result = TrainBlobs(witness, epochs: 1);

        Assert.Equal(result.Steps.Count, witness.Norms.Count);
        for (int i = 0; i < result.Steps.Count; i++)
        {
            Assert.Equal(witness.Norms[i].Before, result.Steps[i].NormBefore, 9);
            Reference.Close(witness.Norms[i].After, result.Steps[i].NormAfter, 1e-5);
        }
        Assert.Contains(result.Steps, s => s.Clipped);
    }

    [Fact]
    public void Clipping_lets_a_high_learning_rate_train_on_unscaled_features_where_no_clipping_collapses_to_chance()
    {
        var unscaled = Scaled(Blobs, 100);

        var free = TrainSgd(unscaled, new NoClip());
        var clipped = TrainSgd(unscaled, new ClipByGlobalNorm(1));

        Assert.True(free.Epochs[^1].ValAccuracy < 0.4, $"Unclipped accuracy {free.Epochs[^1].ValAccuracy}");
        Assert.True(clipped.Best!.ValAccuracy > 0.5, $"Clipped accuracy {clipped.Best.ValAccuracy}");
        Assert.True(clipped.Steps.Max(s => s.NormAfter) <= 1 + 1e-5);
    }

    [Fact]
    public void The_stop_policy_stops_at_the_first_non_finite_step_and_keeps_the_best_weights()
    {
        var model = new MlpSpec(10, [8], 3).Build(0);
        var poisoned = Scaled(Blobs, 1, poisonRow: BlobSplit.TrainRows[5]);
        var trainer = new Trainer(model, new Sgd(model.Parameters(), 0.01), new ClipByGlobalNorm(1),
            new TrainerOptions(Epochs: 3, OnNonFinite: NonFiniteAction.Stop));

        var result = trainer.Fit(poisoned, BlobSplit, null);

        Assert.NotNull(result.StopReason);
        Assert.Contains("Stopped at step", result.StopReason);
        Assert.True(result.Steps[^1].Skipped);
        Assert.All(model.Parameters().SelectMany(p => p.ToArray()), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void The_skip_policy_skips_non_finite_steps_and_goes_on()
    {
        var model = new MlpSpec(10, [8], 3).Build(0);
        var poisoned = Scaled(Blobs, 1, poisonRow: BlobSplit.TrainRows[5]);
        var trainer = new Trainer(model, new Sgd(model.Parameters(), 0.01), new ClipByGlobalNorm(1), new TrainerOptions(Epochs: 2));

        var result = trainer.Fit(poisoned, BlobSplit, null);

        Assert.Null(result.StopReason);
        Assert.Equal(2, result.Epochs.Count);
        Assert.Equal(2, result.Epochs.Sum(e => e.SkippedSteps));
        Assert.All(model.Parameters().SelectMany(p => p.ToArray()), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Regression_trains_with_mean_squared_error()
    {
        var random = new Random(1);
        int rows = 200;
        var x = Enumerable.Range(0, rows * 2).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => 3 * x[2 * i] - 2 * x[2 * i + 1]).ToImmutableArray();
        var data = TabularData.ForRegression([.. x], ["a", "b"], y, new DataDescription("y", "test", "given"));
        var split = DataSplit.Create(data, 0.2, 0);
        var model = new MlpSpec(2, [16], 1).Build(0);

        var result = new Trainer(model, new Adam(model.Parameters(), 1e-2), new NoClip(), new TrainerOptions(Epochs: 30)).Fit(data, split, null);

        Assert.Null(result.Epochs[^1].ValAccuracy);
        Assert.True(result.Best!.ValLoss < 0.05, $"Validation MSE {result.Best.ValLoss}");
    }

    [Fact]
    public void Invalid_options_are_rejected_by_name()
    {
        var model = new MlpSpec(10, [8], 3).Build(0);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(model, new Sgd(model.Parameters(), 0.1), new NoClip(), new TrainerOptions(Epochs: 0)));

        Assert.Equal("Epochs", ex.ParamName);
    }

    public static TheoryData<string> Setups => ["adam+norm", "sgd+autoclip", "rmsprop+zclip", "adamw-amsgrad+chain", "adam+norm+dropout"];

    [Theory]
    [MemberData(nameof(Setups))]
    public void Resuming_from_a_saved_checkpoint_gives_the_records_and_weights_of_an_uninterrupted_run(string setup)
    {
        using var folder = new TempFolder();
        var (uninterrupted, whole) = Train(setup, epochs: 4);
        TrainingCheckpoint? atEpoch2 = null;
        Train(setup, epochs: 2, onCheckpoint: c => atEpoch2 = c);
        CheckpointWriter.StartNew(folder.Path).Save(atEpoch2!, CheckpointFolderTests.Context());

        var (resumed, continued) = Train(setup, epochs: 4, initSeed: 99, resumeFrom: CheckpointFolder.Load(folder.Path).Checkpoint);

        Assert.Equal(2, atEpoch2!.Epoch);
        AssertSameRun(uninterrupted, whole, resumed, continued);
    }

    [Fact]
    public void A_cancelled_run_checkpoints_mid_epoch_and_resuming_that_checkpoint_matches_an_uninterrupted_run()
    {
        using var cancel = new CancellationTokenSource();
        var (uninterrupted, whole) = Train("adam+norm", epochs: 3);
        TrainingCheckpoint? last = null;

        Assert.Throws<OperationCanceledException>(() =>
            Train("adam+norm", epochs: 3, onCheckpoint: c => last = c, cancellation: cancel.Token, cancelAtStep: (37, cancel)));
        var (resumed, continued) = Train("adam+norm", epochs: 3, initSeed: 99, resumeFrom: last);

        Assert.Equal((1, 12, 37), (last!.Epoch, last.EpochStep, last.Steps.Count));
        AssertSameRun(uninterrupted, whole, resumed, continued);
    }

    [Fact]
    public void A_run_with_dropout_cancelled_mid_epoch_and_resumed_from_its_saved_checkpoint_is_byte_identical_to_an_uninterrupted_one()
    {
        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        var (uninterrupted, whole) = Train("adam+norm+dropout", epochs: 3);
        TrainingCheckpoint? last = null;
        Assert.Throws<OperationCanceledException>(() =>
            Train("adam+norm+dropout", epochs: 3, onCheckpoint: c => last = c, cancellation: cancel.Token, cancelAtStep: (37, cancel)));
        CheckpointWriter.StartNew(folder.Path).Save(last!, CheckpointFolderTests.Context());

        var (resumed, continued) = Train("adam+norm+dropout", epochs: 3, initSeed: 99, resumeFrom: CheckpointFolder.Load(folder.Path).Checkpoint);

        Assert.NotEqual(last!.Generator.EpochStart, last.Generator.Current);
        AssertSameRun(uninterrupted, whole, resumed, continued);
    }

    [Fact]
    public void The_result_keeps_the_generator_state_each_epoch_began_with_as_the_checkpoint_of_that_epoch_records_it()
    {
        using var cancel = new CancellationTokenSource();
        var (whole, _) = Train("adam+norm+dropout", epochs: 3);
        TrainingCheckpoint? last = null;
        Assert.Throws<OperationCanceledException>(() =>
            Train("adam+norm+dropout", epochs: 3, onCheckpoint: c => last = c, cancellation: cancel.Token, cancelAtStep: (37, cancel)));

        Assert.Equal([1, 2, 3], whole.EpochStarts.Keys.Order());
        Assert.Equal(last!.Generator.EpochStart, whole.EpochStarts[last.Epoch + 1]);
        Assert.NotEqual(whole.EpochStarts[2], whole.EpochStarts[3]);
    }

    [Fact]
    public void Dropout_draws_change_the_run_so_the_byte_identity_of_resumed_runs_is_not_vacuous()
    {
        var (plain, _) = Train("adam+norm", epochs: 1);
        var (dropped, _) = Train("adam+norm+dropout", epochs: 1);

        Assert.NotEqual(plain.Steps.Select(s => s.Loss), dropped.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void A_model_whose_dropout_draws_from_another_generator_than_the_trainer_is_refused()
    {
        var model = new Sequential(new Linear(10, 4, new Generator(0)), new Dropout(0.5f, new Generator(1)), new Linear(4, 3, new Generator(2)));

        var error = Assert.Throws<ArgumentException>(() =>
            new Trainer(model, new Adam(model.Parameters()), new NoClip(), new TrainerOptions(Epochs: 2), generator: new Generator(3)));

        Assert.Equal("model", error.ParamName);
        Assert.Contains("another generator", error.Message);
    }

    [Fact]
    public void Early_stopping_ends_the_run_patience_epochs_after_the_best_one_and_keeps_its_weights()
    {
        var model = new MlpSpec(10, [16], 3).Build(0);
        // Adam at a rate this high soon overfits the small split: the validation loss stops improving early.
        var trainer = new Trainer(model, new Adam(model.Parameters(), 0.05), new NoClip(), new TrainerOptions(Epochs: 60, Patience: 2));
        float[]? bestWeights = null;
        double lowest = double.PositiveInfinity;
        int seen = 0;

        var result = trainer.Fit(Blobs, BlobSplit, null, onEpoch: e =>
        {
            seen = e.Epoch;
            if (e.ValLoss < lowest)
            {
                lowest = e.ValLoss.Value;
                bestWeights = model.Parameters().First().ToArray();
            }
        });

        Assert.True(result.Epochs.Count < 60, "the run trained every epoch");
        Assert.Equal(result.BestEpoch + 2, result.Epochs.Count);
        Assert.Equal(seen, result.Epochs.Count);
        double bestLoss = result.Epochs.Min(e => e.ValLoss!.Value);
        Assert.Equal(bestLoss, result.Best!.ValLoss);
        Assert.All(result.Epochs.Skip(result.BestEpoch), e => Assert.True(e.ValLoss >= bestLoss));
        Assert.Equal(bestWeights, model.Parameters().First().ToArray());
        Assert.Contains($"has not improved for 2 epochs", result.EarlyStop);
        Assert.Contains($"at epoch {result.BestEpoch}", result.EarlyStop);
        Assert.Null(result.StopReason);
    }

    [Fact]
    public void Monitoring_validation_accuracy_keeps_the_epoch_with_the_highest_accuracy()
    {
        var model = new MlpSpec(10, [16], 3).Build(0);
        var trainer = new Trainer(model, new Adam(model.Parameters(), 0.05), new NoClip(),
            new TrainerOptions(Epochs: 8, Monitor: "val_accuracy"));

        var result = trainer.Fit(Blobs, BlobSplit, null);

        double best = result.Epochs.Max(e => e.ValAccuracy!.Value);
        Assert.Equal(result.Epochs.First(e => e.ValAccuracy == best).Epoch, result.BestEpoch);
        Assert.Null(result.EarlyStop);
    }

    [Fact]
    public void A_schedule_advances_every_step_and_a_resumed_run_continues_it_where_it_stood()
    {
        var (uninterrupted, _) = TrainScheduled(epochs: 2, resumeFrom: null, c => { });
        TrainingCheckpoint? first = null;
        TrainScheduled(epochs: 1, resumeFrom: null, c => first = c);

        var (resumed, _) = TrainScheduled(epochs: 2, resumeFrom: first, c => { });

        int steps = uninterrupted.Steps.Count;
        for (int i = 0; i < steps; i++)
        {
            // CosineAnnealingLr over 2 × 25 steps: lr_i = 0.01 · (1 + cos(π i / 50)) / 2.
            Assert.Equal(0.01 * (1 + Math.Cos(Math.PI * i / 50)) / 2, uninterrupted.Steps[i].LearningRate, 12);
        }
        Assert.Equal(uninterrupted.Steps.Select(s => s.LearningRate), resumed.Steps.Select(s => s.LearningRate));
    }

    private static (TrainingResult Result, Module Model) TrainScheduled(int epochs, TrainingCheckpoint? resumeFrom, Action<TrainingCheckpoint> onCheckpoint)
    {
        var model = new MlpSpec(10, [8], 3).Build(0);
        var optimizer = new Adam(model.Parameters(), 0.01);
        var trainer = new Trainer(model, optimizer, new NoClip(), new TrainerOptions(epochs, 32, CheckpointEvery: 1), new CosineAnnealingLr(optimizer, 50));
        return (trainer.Fit(Blobs, BlobSplit, null, resumeFrom: resumeFrom, onCheckpoint: onCheckpoint), model);
    }

    [Fact]
    public void Checkpoints_come_every_n_epochs_and_after_the_last_one()
    {
        var model = new MlpSpec(10, [4], 3).Build(0);
        var trainer = new Trainer(model, new Adam(model.Parameters()), new NoClip(), new TrainerOptions(Epochs: 5, CheckpointEvery: 2));
        var epochs = new List<int>();

        trainer.Fit(Blobs, BlobSplit, null, onCheckpoint: c => epochs.Add(c.Epoch));

        Assert.Equal([2, 4, 5], epochs);
    }

    [Fact]
    public void Without_a_checkpoint_interval_only_a_cancelled_run_hands_over_a_checkpoint()
    {
        var model = new MlpSpec(10, [4], 3).Build(0);
        var trainer = new Trainer(model, new Adam(model.Parameters()), new NoClip(), new TrainerOptions(Epochs: 2));
        var checkpoints = new List<TrainingCheckpoint>();

        trainer.Fit(Blobs, BlobSplit, null, onCheckpoint: checkpoints.Add);
        Assert.Empty(checkpoints);
        Assert.Throws<OperationCanceledException>(() =>
            trainer.Fit(Blobs, BlobSplit, null, onCheckpoint: checkpoints.Add, cancellation: new CancellationToken(canceled: true)));

        Assert.Equal((0, 0), (checkpoints.Single().Epoch, checkpoints.Single().Steps.Count));
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_is_refused_before_any_weight_changes()
    {
        TrainingCheckpoint? other = null;
        Train("adam+norm", epochs: 1, onCheckpoint: c => other = c);
        var model = new MlpSpec(10, [8], 3).Build(0);
        float[] before = model.Parameters().First().ToArray();
        var trainer = new Trainer(model, new Adam(model.Parameters()), new ClipByGlobalNorm(1), new TrainerOptions(Epochs: 2));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs, BlobSplit, null, resumeFrom: other));

        Assert.Equal("resumeFrom", error.ParamName);
        Assert.Contains("0.weight[16, 10]", error.Message);
        Assert.Equal(before, model.Parameters().First().ToArray());
    }

    [Fact]
    public void A_checkpoint_of_another_optimizer_kind_is_refused_naming_both_kinds()
    {
        TrainingCheckpoint? adam = null;
        Train("adam+norm", epochs: 1, onCheckpoint: c => adam = c);
        var model = new MlpSpec(10, [16], 3).Build(0);
        var trainer = new Trainer(model, new Sgd(model.Parameters(), 0.1, momentum: 0.9), new ClipByGlobalNorm(1), new TrainerOptions(Epochs: 2));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs, BlobSplit, null, resumeFrom: adam));

        Assert.Equal("resumeFrom", error.ParamName);
        Assert.Contains("AdamState", error.Message);
        Assert.Contains("Sgd", error.Message);
    }

    [Fact]
    public void A_checkpoint_for_another_clipping_is_refused()
    {
        TrainingCheckpoint? autoClip = null;
        Train("sgd+autoclip", epochs: 1, onCheckpoint: c => autoClip = c);
        var model = new MlpSpec(10, [16], 3).Build(0);
        var trainer = new Trainer(model, new Sgd(model.Parameters(), 0.05, momentum: 0.9), new ClipByGlobalNorm(1), new TrainerOptions(Epochs: 2));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs, BlobSplit, null, resumeFrom: autoClip));

        Assert.Contains("1 AutoClip", error.Message);
    }

    private static (TrainingResult Result, Module Model) Train(
        string setup,
        int epochs,
        int initSeed = 0,
        TrainingCheckpoint? resumeFrom = null,
        Action<TrainingCheckpoint>? onCheckpoint = null,
        CancellationToken cancellation = default,
        (int Step, CancellationTokenSource Source)? cancelAtStep = null)
    {
        var model = new MlpSpec(10, [16], 3, Dropout: setup.EndsWith("+dropout", StringComparison.Ordinal) ? 0.3f : 0).Build(initSeed);
        (Optimizer Optimizer, IGradientTransform Clipping) parts = setup switch
        {
            "adam+norm" or "adam+norm+dropout" => (new Adam(model.Parameters(), 3e-3), new ClipByGlobalNorm(1)),
            "sgd+autoclip" => (new Sgd(model.Parameters(), 0.05, momentum: 0.9), new AutoClip(25)),
            "rmsprop+zclip" => (new RmsProp(model.Parameters(), 1e-3, momentum: 0.5, centered: true), new ZClip(zThreshold: 1, warmupSteps: 5)),
            "adamw-amsgrad+chain" => (new AdamW(model.Parameters(), 3e-3, amsGrad: true), new Chain(new ZClip(warmupSteps: 3), new AutoClip(50))),
            _ => throw new ArgumentException(setup, nameof(setup)),
        };
        var (optimizer, clipping) = parts;
        if (cancelAtStep is var (step, source))
        {
            clipping = new CancelAtStep(clipping, step, source);
        }
        var trainer = new Trainer(model, optimizer, clipping, new TrainerOptions(epochs, 32, Seed: 0, CheckpointEvery: 1));
        var result = trainer.Fit(Blobs, BlobSplit, null, resumeFrom: resumeFrom, onCheckpoint: onCheckpoint, cancellation: cancellation);
        return (result, model);
    }

    private static void AssertSameRun(TrainingResult expected, Module expectedModel, TrainingResult actual, Module actualModel)
    {
        Assert.Equal(MetricsFiles.EpochsCsv(expected.Epochs), MetricsFiles.EpochsCsv(actual.Epochs));
        Assert.Equal(expected.Steps.Select(MetricsFiles.StepJson), actual.Steps.Select(MetricsFiles.StepJson));
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        // Every epoch's start, those before the resume included, so that a verdict can still name an early step's rows.
        Assert.Equal(expected.EpochStarts.OrderBy(e => e.Key), actual.EpochStarts.OrderBy(e => e.Key));
        Assert.Equal(
            expectedModel.Parameters().SelectMany(p => p.ToArray()).Select(BitConverter.SingleToInt32Bits),
            actualModel.Parameters().SelectMany(p => p.ToArray()).Select(BitConverter.SingleToInt32Bits));
    }

    private static TrainingResult TrainSgd(TabularData data, IGradientTransform clipping)
    {
        var model = new MlpSpec(10, [64, 32], 3).Build(0);
        return new Trainer(model, new Sgd(model.Parameters(), 0.1), clipping, new TrainerOptions(Epochs: 10)).Fit(data, BlobSplit, null);
    }

    /// <summary>The built-in data standardized, times <paramref name="scale"/>, with one row's features set to NaN if asked.</summary>
    private static TabularData Scaled(TabularData data, float scale, int poisonRow = -1)
    {
        var standardized = Standardizer.Fit(data, BlobSplit.TrainRows.AsSpan()).Transform(data.Features.AsSpan());
        for (int i = 0; i < standardized.Length; i++)
        {
            standardized[i] = i / data.FeatureCount == poisonRow ? float.NaN : standardized[i] * scale;
        }
        return TabularData.ForClassification([.. standardized], data.FeatureNames, data.Labels, data.ClassNames,
            new DataDescription("class", "test", "given"));
    }

    /// <summary>Measures each step's gradients with Clip.GradNorm on a copy before the wrapped transform clips them.</summary>
    private sealed class GradNormWitness(ClipByGlobalNorm inner) : IGradientTransform
    {
        public List<(double Before, double After)> Norms { get; } = [];

        public ClipReport Apply(IReadOnlyList<Tensor> parameters)
        {
            var copies = parameters.Where(p => p.Grad is not null).Select(p => Reference.Parameter(p.Grad!.ToArray())).ToList();
            double before = Clip.GradNorm(copies, inner.MaxNorm);
            double after = Reference.TotalNorm(copies.Select(c => c.Grad!.ToArray()), 2);
            Norms.Add((before, after));
            return inner.Apply(parameters);
        }
    }

    /// <summary>Cancels <paramref name="source"/> during the <paramref name="step"/>-th step, after the wrapped transform clipped it.</summary>
    private sealed class CancelAtStep(IGradientTransform inner, int step, CancellationTokenSource source) : IGradientTransform
    {
        private int _calls;

        public ClipReport Apply(IReadOnlyList<Tensor> parameters)
        {
            var report = inner.Apply(parameters);
            if (++_calls == step)
            {
                source.Cancel();
            }
            return report;
        }
    }
}
