using System.Collections.Immutable;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Optim;
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
        Assert.Contains(free.Findings, f => f.IsProblem);
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
}
