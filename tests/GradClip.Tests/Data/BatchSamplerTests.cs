using System.Collections.Immutable;
using GradClip.Data;
using GradClip.Randomness;

namespace GradClip.Tests.Data;

public class BatchSamplerTests
{
    private static readonly ImmutableArray<int> Rows = [.. Enumerable.Range(0, 103).Select(i => i * 3 + 1)];

    private static int[][] Batches(BatchSampler sampler, Generator generator) =>
        [.. sampler.Epoch(generator).Select(batch => batch.ToArray())];

    [Fact]
    public void Every_row_is_in_exactly_one_batch_per_epoch()
    {
        var sampler = new BatchSampler(Rows, 10);
        var generator = new Generator(0);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] dealt = [.. Batches(sampler, generator).SelectMany(batch => batch)];
            Assert.Equal(Rows.Order(), dealt.Order());
        }
    }

    [Fact]
    public void All_batches_are_full_but_the_last_which_holds_the_remainder()
    {
        var sampler = new BatchSampler(Rows, 10);

        int[] sizes = [.. Batches(sampler, new Generator(0)).Select(batch => batch.Length)];

        Assert.Equal(11, sampler.BatchCount);
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], sizes);
    }

    [Fact]
    public void The_same_generator_state_gives_the_same_batches_so_an_epoch_can_be_replayed()
    {
        var sampler = new BatchSampler(Rows, 16);
        var generator = new Generator(4);
        Batches(sampler, generator);
        var epochStart = generator.GetState();
        var third = Batches(sampler, generator);

        var replay = new Generator(0);
        replay.SetState(epochStart);

        Assert.Equal(third, Batches(new BatchSampler(Rows, 16), replay));
        Assert.Equal(generator.GetState(), replay.GetState());
    }

    [Fact]
    public void An_epoch_is_a_fisher_yates_shuffle_drawn_from_the_generator()
    {
        int[] expected = [.. Rows];
        new Generator(8).Shuffle(expected);

        Assert.Equal(expected, Batches(new BatchSampler(Rows, 16), new Generator(8)).SelectMany(batch => batch));
    }

    [Fact]
    public void Epochs_and_seeds_shuffle_differently()
    {
        var sampler = new BatchSampler(Rows, 16);
        var generator = new Generator(4);
        var first = Batches(sampler, generator);

        Assert.NotEqual(first, Batches(sampler, generator));
        Assert.NotEqual(first, Batches(sampler, new Generator(5)));
        Assert.NotEqual(Rows.Take(16), first[0]);
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
    public void Refuses_no_rows_a_batch_size_below_one_and_no_generator()
    {
        Assert.Throws<ArgumentException>(() => new BatchSampler([], 4));
        var size = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(Rows, 0));
        Assert.Equal("batchSize", size.ParamName);
        Assert.Throws<ArgumentNullException>(() => new BatchSampler(Rows, 4).Epoch(null!));
    }
}
