using GradClip.Adaptive;
using GradClip.Monitoring;

namespace GradClip.Tests.Adaptive;

public sealed class PercentileHistoryTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(37.5)]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(100)]
    public void Gives_numpy_s_percentile_of_everything_added_bit_for_bit_duplicates_included(double q)
    {
        var random = new Random(11);
        var history = new PercentileHistory(q);
        var seen = new List<double>();

        for (int i = 0; i < 500; i++)
        {
            double value = random.Next(4) == 0 ? 3.0 : Math.Round(random.NextDouble() * 100, 1);
            history.Add(value);
            seen.Add(value);

            Assert.Equal(Percentile.Of(seen, q), history.Percentile());
        }
        Assert.Equal(seen.Order(), history.Values);
    }

    [Fact]
    public void Is_NaN_while_empty_and_refills_from_a_sorted_history()
    {
        var history = new PercentileHistory(10);
        Assert.True(double.IsNaN(history.Percentile()));

        history.Replace([1, 2, 3, 4, 5]);

        Assert.Equal(5, history.Count);
        Assert.Equal(1 + 0.4 * 1, history.Percentile(), 12);
    }
}
