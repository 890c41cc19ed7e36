using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Tests.Training;

public sealed class BestWeightsTests
{
    private static Tensor Parameter(params float[] values) => Tensor.FromArray(values, [values.Length]);

    [Fact]
    public void Keeps_the_weights_of_the_lowest_finite_loss_and_puts_them_back()
    {
        var weight = Parameter(1, 2);
        var best = new BestWeights([weight]);

        best.Offer(1, 0.5);
        weight.Span.Fill(7);
        best.Offer(2, 0.9);
        best.Restore();

        Assert.Equal(1, best.Epoch);
        Assert.Equal([1f, 2f], weight.ToArray());
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Never_keeps_weights_that_hold_a_non_finite_value_even_with_a_lower_loss(float bad)
    {
        var weight = Parameter(1, 2);
        var best = new BestWeights([weight]);
        best.Offer(1, 0.5);

        weight.Span[1] = bad;
        best.Offer(2, 0.1);
        best.Restore();

        Assert.Equal(1, best.Epoch);
        Assert.Equal(0.5, best.Loss);
        Assert.Equal([1f, 2f], weight.ToArray());
    }

    [Fact]
    public void Keeps_nothing_when_the_only_epoch_has_non_finite_weights()
    {
        var weight = Parameter(float.NaN, 2);
        var best = new BestWeights([weight]);

        best.Offer(1, 0.5);

        Assert.Equal(0, best.Epoch);
        Assert.Null(best.Export());
    }

    [Fact]
    public void Never_keeps_an_epoch_whose_loss_is_not_finite()
    {
        var best = new BestWeights([Parameter(1)]);

        best.Offer(1, double.NaN);
        best.Offer(2, double.PositiveInfinity);

        Assert.Equal(0, best.Epoch);
    }
}
