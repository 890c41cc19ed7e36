using System.Collections.Immutable;
using GradClip.Data;

namespace GradClip.Tests.Data;

public class BatchSamplerTests
{
    private static readonly ImmutableArray<int> Rows = [.. Enumerable.Range(0, 103).Select(i => i * 3 + 1)];

    private static int[][] Batches(BatchSampler sampler, int epoch) =>
        [.. sampler.Epoch(epoch).Select(batch => batch.ToArray())];

    [Fact]
    public void Every_row_is_in_exactly_one_batch_per_epoch()
    {
        var sampler = new BatchSampler(Rows, 10, seed: 0);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] dealt = [.. Batches(sampler, epoch).SelectMany(batch => batch)];
            Assert.Equal(Rows.Order(), dealt.Order());
        }
    }

    [Fact]
    public void All_batches_are_full_but_the_last_which_holds_the_remainder()
    {
        var sampler = new BatchSampler(Rows, 10, seed: 0);

        int[] sizes = [.. Batches(sampler, 0).Select(batch => batch.Length)];

        Assert.Equal(11, sampler.BatchCount);
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], sizes);
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_batches_without_replaying_earlier_epochs()
    {
        var first = new BatchSampler(Rows, 16, seed: 4);
        var second = new BatchSampler(Rows, 16, seed: 4);
        Batches(first, 0);
        Batches(first, 1);

        Assert.Equal(Batches(first, 2), Batches(second, 2));
    }

    [Fact]
    public void Epochs_and_seeds_shuffle_differently()
    {
        var sampler = new BatchSampler(Rows, 16, seed: 4);
        var other = new BatchSampler(Rows, 16, seed: 5);

        Assert.NotEqual(Batches(sampler, 0), Batches(sampler, 1));
        Assert.NotEqual(Batches(sampler, 0), Batches(other, 0));
        Assert.NotEqual(Rows.Take(16), Batches(sampler, 0)[0]);
    }

    [Fact]
    public void Gathers_the_rows_of_a_batch_one_after_another()
    {
        float[] features = [0, 1, 10, 11, 20, 21, 30, 31];
        int[] labels = [5, 6, 7, 8];
        int[] batch = [3, 0, 2];
        var x = new float[6];
        var y = new int[3];

        BatchSampler.GatherRows<float>(features, 2, batch, x);
        BatchSampler.GatherRows<int>(labels, 1, batch, y);

        Assert.Equal([30f, 31, 0, 1, 20, 21], x);
        Assert.Equal([8, 5, 7], y);
    }

    [Fact]
    public void Gathering_refuses_a_destination_of_the_wrong_size_and_unknown_rows()
    {
        float[] features = [0, 1, 10, 11];

        Assert.Throws<ArgumentException>(() => BatchSampler.GatherRows<float>(features, 2, [0], new float[3]));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BatchSampler.GatherRows<float>(features, 2, [2], new float[2]));
        Assert.Equal("rows", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchSampler.GatherRows<float>(features, 0, [], []));
    }

    [Fact]
    public void Refuses_no_rows_a_batch_size_below_one_and_a_negative_epoch()
    {
        Assert.Throws<ArgumentException>(() => new BatchSampler([], 4, 0));
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(Rows, 0, 0));
        Assert.Equal("batchSize", size.ParamName);
        var epoch = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(Rows, 4, 0).Epoch(-1));
        Assert.Equal("epoch", epoch.ParamName);
    }
}
