using GradClip.Distributed;
using GradClip.Tensors;

namespace GradClip.Tests.Distributed;

public class ShardedClipTests
{
    /// <summary>Nine gradients of varied sizes and magnitudes, of which rank r of n holds every n-th.</summary>
    private static Tensor[] Gradients(float magnitude) =>
        [.. Enumerable.Range(0, 9).Select(g => Tensor.FromArray([.. Enumerable.Range(0, 5 + 3 * g).Select(i => magnitude * (float)Math.Cos(g * 1.3 + i))], 5 + 3 * g))];

    private static Tensor[] ShardOf(Tensor[] all, ICommunicator communicator) =>
        [.. all.Where((_, i) => i % communicator.Size == communicator.Rank)];

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.5)]
    [InlineData(double.PositiveInfinity)]
    public void Three_ranks_with_a_third_of_the_gradients_each_get_the_unsharded_norm(double normType)
    {
        var all = Gradients(0.7f);
        double unsharded = Clip.TotalNorm(all, normType);

        var norms = ThreadCommunicator.Run(3, c => ShardedClip.TotalNorm(ShardOf(all, c), normType, c));

        Assert.All(norms, n => Assert.Equal(unsharded, n, unsharded * 1e-12));
        Assert.All(norms, n => Assert.Equal(norms[0], n));
    }

    [Fact]
    public void A_20_norm_of_values_near_1e16_is_finite_and_right_where_the_power_sum_would_overflow()
    {
        // 4 ranks, each with 8 elements of 1e16: Σ|g|^20 = 32e320 overflows double; the norm is 1e16 · 32^(1/20).
        var norms = ThreadCommunicator.Run(4, c => ShardedClip.TotalNorm([Tensor.Full(1e16f, 8)], 20, c));

        double expected = (double)1e16f * Math.Pow(32, 1.0 / 20);
        Assert.True(double.IsPositiveInfinity(Math.Pow(1e16, 20) * 32));
        Assert.All(norms, n => Assert.Equal(expected, n, expected * 1e-12));
    }

    [Fact]
    public void A_NaN_on_one_rank_gives_NaN_on_every_rank()
    {
        var norms = ThreadCommunicator.Run(3, c => ShardedClip.TotalNorm([Tensor.Full(c.Rank == 1 ? float.NaN : 1f, 4)], 2, c));

        Assert.All(norms, n => Assert.True(double.IsNaN(n)));
    }

    [Fact]
    public void Clipping_each_shard_by_the_global_norm_leaves_the_whole_at_max_norm()
    {
        var all = Gradients(3f);
        var parameters = all.Select(g =>
        {
            var parameter = Tensor.Zeros([.. g.Shape]);
            parameter.Grad = g.Clone();
            return parameter;
        }).ToArray();

        var before = ThreadCommunicator.Run(2, c => ShardedClip.GradNorm(ShardOf(parameters, c), 1.0, 2, c));

        Assert.Equal(Clip.TotalNorm(all), before[0], before[0] * 1e-12);
        Assert.Equal(1.0, Clip.TotalNorm(parameters.Select(p => p.Grad)), 1e-5);
    }
}
