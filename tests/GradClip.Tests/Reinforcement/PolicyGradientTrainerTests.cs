using GradClip.Clipping;
using GradClip.Metrics;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Reinforcement;
using GradClip.Training;

namespace GradClip.Tests.Reinforcement;

public class PolicyGradientTrainerTests
{
    private static readonly PolicyGradientOptions Short = new(Epochs: 4, EpisodesPerEpoch: 4, EpisodesPerStep: 2);

    /// <summary>A trainer of a fresh 4-8-2 policy seeded with <paramref name="seed"/>, SGD with momentum, clipped at max_norm 5; its policy's parameters too.</summary>
    private static (PolicyGradientTrainer Trainer, Module Policy) Trainer(int seed, PolicyGradientOptions options)
    {
        var generator = new Generator(seed);
        var policy = new MlpSpec(4, [8], 2).Build(generator);
        return (new PolicyGradientTrainer(policy, new Sgd(policy.Parameters(), 0.01, momentum: 0.9), new ClipByGlobalNorm(5), generator, options), policy);
    }

    private static float[][] Weights(Module policy) => [.. policy.Parameters().Select(p => p.ToArray())];

    [Fact]
    public void An_epoch_is_its_episodes_in_steps_and_reports_their_mean_return()
    {
        var result = Trainer(3, Short).Trainer.Fit();

        Assert.Equal(4, result.Epochs.Count);
        Assert.Equal(8, result.Steps.Count);
        Assert.All(result.Epochs, e => Assert.Equal(2, e.Steps));
        // Every CartPole episode lasts at least the 8 steps the pole needs to fall from near upright, and at most 500.
        Assert.All(result.Epochs, e => Assert.InRange(e.Metric(EpochMetric.MeanReturn.Name)!.Value, 8, 500));
        Assert.All(result.Epochs, e => Assert.Null(e.ValLoss));
        double best = result.Epochs.Max(e => e.Metric(EpochMetric.MeanReturn.Name)!.Value);
        Assert.Equal(best, result.Best!.Metric(EpochMetric.MeanReturn.Name));
    }

    [Fact]
    public void The_same_seed_gives_the_same_records_and_weights()
    {
        var (first, firstPolicy) = Trainer(5, Short);
        var (second, secondPolicy) = Trainer(5, Short);

        var a = first.Fit();
        var b = second.Fit();

        Assert.Equal(a.Epochs, b.Epochs);
        Assert.Equal(a.Steps.Select(s => (s.Loss, s.NormBefore, s.NormAfter)), b.Steps.Select(s => (s.Loss, s.NormBefore, s.NormAfter)));
        Assert.Equal(Weights(firstPolicy), Weights(secondPolicy));
    }

    [Fact]
    public void Resuming_from_an_epoch_checkpoint_continues_exactly_as_the_uninterrupted_run()
    {
        var (whole, wholePolicy) = Trainer(7, Short);
        var uninterrupted = whole.Fit();
        var (half, _) = Trainer(7, Short with { Epochs = 2, CheckpointEvery = 1 });
        TrainingCheckpoint? last = null;
        half.Fit(onCheckpoint: c => last = c);

        // A fresh policy with another initialization: everything comes from the checkpoint.
        var (resumed, resumedPolicy) = Trainer(99, Short);
        var continued = resumed.Fit(resumeFrom: last);

        Assert.Equal(uninterrupted.Epochs, continued.Epochs);
        Assert.Equal(uninterrupted.Steps.Select(s => s.NormBefore), continued.Steps.Select(s => s.NormBefore));
        Assert.Equal(Weights(wholePolicy), Weights(resumedPolicy));
        Assert.Equal((2, 4), continued.ResumedFrom);
        Assert.Equal(uninterrupted.EpochStarts.OrderBy(e => e.Key), continued.EpochStarts.OrderBy(e => e.Key));
    }

    [Fact]
    public void Cancelling_within_an_epoch_hands_over_the_checkpoint_of_the_last_epoch_end()
    {
        using var cancel = new CancellationTokenSource();
        var (trainer, _) = Trainer(11, Short);
        TrainingCheckpoint? handed = null;

        Assert.Throws<OperationCanceledException>(() => trainer.Fit(
            onEpoch: e => { if (e.Epoch == 2) { cancel.Cancel(); } },
            onCheckpoint: c => handed = c,
            cancellation: cancel.Token));

        Assert.NotNull(handed);
        Assert.Equal(2, handed.Epoch);
        Assert.Equal(0, handed.EpochStep);
        Assert.Equal(4, handed.Steps.Count);
        var (resumed, _) = Trainer(12, Short);
        var (whole, _) = Trainer(11, Short);
        Assert.Equal(whole.Fit().Epochs, resumed.Fit(resumeFrom: handed).Epochs);
    }

    [Fact]
    public void A_checkpoint_taken_within_an_epoch_is_refused()
    {
        var (half, _) = Trainer(7, Short with { Epochs = 1, CheckpointEvery = 1 });
        TrainingCheckpoint? last = null;
        half.Fit(onCheckpoint: c => last = c);
        var midEpoch = last! with { EpochStep = 1, Epoch = 0, Epochs = [] };

        var error = Assert.Throws<ArgumentException>(() => Trainer(7, Short).Trainer.Fit(resumeFrom: midEpoch));

        Assert.Contains("resumes from an epoch's end", error.Message);
    }

    [Theory]
    [InlineData(0, 4, 2)]
    [InlineData(1, 5, 2)]
    [InlineData(1, 4, 0)]
    public void Options_out_of_range_are_refused(int epochs, int perEpoch, int perStep) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolicyGradientOptions(epochs, perEpoch, perStep).Validate());
}
