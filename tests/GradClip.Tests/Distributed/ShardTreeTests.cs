using GradClip.Distributed;

namespace GradClip.Tests.Distributed;

public class ShardTreeTests
{
    [Fact]
    public void Cuts_ten_rows_into_four_micro_shards_at_floor_boundaries()
    {
        var parts = Enumerable.Range(0, 4).Select(k => ShardTree.Part(k, 4, 10)).ToList();

        Assert.Equal([(0, 2), (2, 5), (5, 7), (7, 10)], parts);
    }

    [Fact]
    public void Each_rank_contributes_the_largest_subtrees_inside_its_block()
    {
        var tree = new ShardTree(8, 3);

        // Blocks [0,2), [2,5), [5,8) of the tree ((0 1)(2 3))((4 5)(6 7)).
        Assert.Equal([(0, 2)], tree.NodesOf(0));
        Assert.Equal([(2, 4), (4, 5)], tree.NodesOf(1));
        Assert.Equal([(5, 6), (6, 8)], tree.NodesOf(2));
        Assert.Equal(2, tree.MaxNodes);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    public void The_sum_has_the_same_bits_as_the_pairwise_tree_for_every_rank_count(int shards)
    {
        const int width = 33;
        // Magnitudes from 1e-4 to 1e4, so that another order of addition would change the last bits.
        float Leaf(int shard, int i) => (float)(Math.Sin(shard * 7.1 + i) * Math.Pow(10, (shard + i) % 9 - 4));
        var expected = Enumerable.Range(0, width).Select(i => PairwiseSum(0, shards, k => Leaf(k, i))).ToArray();

        for (int ranks = 1; ranks <= shards; ranks++)
        {
            var tree = new ShardTree(shards, ranks);
            var sums = ThreadCommunicator.Run(ranks, communicator => tree.Reduce(width, (shard, into) =>
            {
                Assert.InRange(shard, tree.ShardsOf(communicator.Rank).Start, tree.ShardsOf(communicator.Rank).End - 1);
                for (int i = 0; i < width; i++)
                {
                    into[i] = Leaf(shard, i);
                }
            }, communicator));

            foreach (var sum in sums)
            {
                Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), sum.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void The_order_matters_so_the_test_above_could_fail()
    {
        float[] values = [1e8f, 1f, -1e8f, 1f];

        float pairwise = PairwiseSum(0, 4, k => values[k]);
        float leftToRight = values[0] + values[1] + values[2] + values[3];

        Assert.NotEqual(leftToRight, pairwise);
    }

    private static float PairwiseSum(int lo, int hi, Func<int, float> leaf) =>
        hi - lo == 1 ? leaf(lo) : PairwiseSum(lo, (lo + hi) / 2, leaf) + PairwiseSum((lo + hi) / 2, hi, leaf);
}
