using System.Text.RegularExpressions;
using GradClip.Adaptive;
using GradClip.Data;
using GradClip.Distributed;
using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Tests.Data;
using GradClip.Tests.Distributed;
using GradClip.Training;

namespace GradClip.Tests.Training;

public class DataParallelStepTests
{
    private static readonly TabularData Shells = BuiltInData.Shells(0);
    private static readonly DataSplit ShellSplit = DataSplit.Create(Shells, 0.2, 0);

    /// <summary>Trains a small network with AutoClip (which clips most steps) over micro-shards shared by the ranks; returns each rank's weights and records.</summary>
    private static (float[] Weights, IReadOnlyList<StepRecord> Steps, string? StopReason)[] Train(int ranks, TabularData data, DataSplit split, NonFiniteAction onNonFinite = NonFiniteAction.Skip) =>
        ThreadCommunicator.Run(ranks, communicator =>
        {
            var model = new MlpSpec(data.FeatureCount, [16], data.ClassCount).Build(0);
            // A batch of 30 rows in 4 micro-shards: the shards have 7 and 8 rows, so their weights differ.
            var trainer = new Trainer(model, new Adam(model.Parameters(), 1e-2), new AutoClip(10),
                new TrainerOptions(2, 30, 0, onNonFinite, MicroShards: 4), communicator: communicator);
            var result = trainer.Fit(data, split, null);
            return (model.Parameters().SelectMany(p => p.Span.ToArray()).ToArray(), result.Steps, result.StopReason);
        });

    [Fact]
    public void One_two_and_three_ranks_train_to_the_same_bits_with_an_adaptive_clipper()
    {
        var one = Train(1, Shells, ShellSplit)[0];

        foreach (int ranks in new[] { 2, 3 })
        {
            foreach (var (weights, steps, _) in Train(ranks, Shells, ShellSplit))
            {
                Assert.Equal(one.Weights.Select(BitConverter.SingleToInt32Bits), weights.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(one.Steps.Select(s => (s.Loss, s.NormBefore, s.Coefficient)), steps.Select(s => (s.Loss, s.NormBefore, s.Coefficient)));
            }
        }
        Assert.True(one.Steps.Count(s => s.Clipped) > one.Steps.Count / 2, "AutoClip at the 10th percentile clips most steps.");
    }

    [Fact]
    public void Ranks_that_clip_by_other_norms_stop_with_an_error_naming_them()
    {
        var errors = ThreadCommunicator.Run(3, communicator =>
        {
            var model = new MlpSpec(2, [4], 2).Build(0);
            var step = new DataParallelStep(communicator, 4, model.NamedParameters());
            double norm = communicator.Rank == 2 ? Math.BitIncrement(1.5) : 1.5;
            var record = new StepRecord(1, 7, 0.3, norm, 1, 1 / norm, true, false, 0.01, new Dictionary<string, double>(), []);
            return Record.Exception(() => step.RequireAgreement(record));
        });

        Assert.All(errors, e =>
        {
            var disagreement = Assert.IsType<RankDisagreementException>(e);
            Assert.Equal([2], disagreement.Ranks);
            Assert.Contains("step 7", e.Message);
            Assert.Contains("rank 2 computed the norm 1.5000000000000002", e.Message);
        });
    }

    [Fact]
    public void A_NaN_gradient_is_traced_to_its_micro_shard_rank_and_parameter()
    {
        // One row of NaN features among 40: its micro-shard's gradients turn NaN before they are added.
        float[] features = [.. Enumerable.Range(0, 80).Select(i => i == 2 * 17 ? float.NaN : (float)Math.Sin(i))];
        var data = TestData.Classification(features, 2, [.. Enumerable.Range(0, 40).Select(i => i % 2)]);
        var split = DataSplit.Create(data, 0.2, 0);

        var results = Train(2, data, split, NonFiniteAction.Stop);

        Assert.All(results, r => Assert.Equal(results[0].StopReason, r.StopReason));
        var origin = Regex.Match(results[0].StopReason ?? "", @"first in micro-shard (\d) on rank (\d), in (\S+), before the reduction");
        Assert.True(origin.Success, results[0].StopReason);
        // Micro-shards 0 and 1 are rank 0's, 2 and 3 rank 1's.
        Assert.Equal(int.Parse(origin.Groups[1].Value) / 2, int.Parse(origin.Groups[2].Value));
        Assert.Equal("0.weight", origin.Groups[3].Value);
    }
}
