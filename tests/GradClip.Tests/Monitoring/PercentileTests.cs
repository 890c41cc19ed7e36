using GradClip.Monitoring;

namespace GradClip.Tests.Monitoring;

public class PercentileTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(50, 2.5)]
    [InlineData(100, 4)]
    [InlineData(10, 1.3)]
    public void Interpolates_linearly_between_ranks_as_numpy(double q, double expected)
    {
        Assert.Equal(expected, Percentile.Of([4, 1, 3, 2], q), 12);
    }

    [Fact]
    public void Ignores_non_finite_values_and_rejects_a_bad_q()
    {
        Assert.Equal(2, Percentile.Median([1, double.NaN, 3, double.PositiveInfinity]));
        Assert.True(double.IsNaN(Percentile.Median([])));
        Assert.Equal("q", Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([1], 101)).ParamName);
    }
}
