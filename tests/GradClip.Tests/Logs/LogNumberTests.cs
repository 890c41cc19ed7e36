using GradClip.Logs;

namespace GradClip.Tests.Logs;

public sealed class LogNumberTests
{
    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("-nan")]
    [InlineData(" NAN ")]
    public void Reads_every_spelling_of_NaN(string text)
    {
        Assert.True(LogNumber.TryParse(text, out double value));
        Assert.True(double.IsNaN(value));
    }

    [Theory]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("INF", double.PositiveInfinity)]
    [InlineData("∞", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("1e400", double.PositiveInfinity)]
    public void Reads_every_spelling_of_infinity(string text, double expected)
    {
        Assert.True(LogNumber.TryParse(text, out double value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("-2.5e-3", -0.0025)]
    [InlineData("1E+2", 100)]
    public void Reads_numbers_in_the_invariant_culture(string text, double expected)
    {
        Assert.True(LogNumber.TryParse(text, out double value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("abc")]
    [InlineData("infinite")]
    [InlineData("")]
    [InlineData("tensor(0.5)")]
    public void Refuses_what_is_not_a_number(string text) => Assert.False(LogNumber.TryParse(text, out _));
}
