using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Common;

public class NumberTextTests
{
    [Theory]
    [InlineData(0.38481, "0.385")]
    [InlineData(1180.4, "1180")]
    [InlineData(123456.0, "1.23e+5")]
    [InlineData(0.0001234, "1.23e-4")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "∞")]
    public void Brief_keeps_three_significant_digits_without_exponents_for_ordinary_values(double value, string expected)
    {
        Assert.Equal(expected, NumberText.Brief(value));
    }

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("1.5", 1.5)]
    public void Norm_orders_parse_numbers_and_inf(string text, double expected)
    {
        Assert.Equal(expected, NumberText.ParseNormType(text, "--norm-type"));
    }
}
