using System.Globalization;
using CsCheck;
using GradClip.Data;

namespace GradClip.Tests.Data;

public sealed class PlainDecimalTests
{
    [Theory]
    [InlineData("0", '.', 0.0)]
    [InlineData("12", '.', 12.0)]
    [InlineData("-12.5", '.', -12.5)]
    [InlineData("+3.25", '.', 3.25)]
    [InlineData(".5", '.', 0.5)]
    [InlineData("5.", '.', 5.0)]
    [InlineData("1.25e-3", '.', 0.00125)]
    [InlineData("7E+02", '.', 700.0)]
    [InlineData("1,5", ',', 1.5)]
    [InlineData("0.000001", '.', 1e-6)]
    [InlineData("123456789012345", '.', 123456789012345.0)]
    public void Reads_a_plain_decimal_number(string text, char separator, double expected)
    {
        Assert.True(PlainDecimal.TryParse(text, separator, out double value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Reads_minus_zero_as_negative_zero_as_the_general_parser_does()
    {
        Assert.True(PlainDecimal.TryParse("-0", '.', out double value));
        Assert.True(double.IsNegative(value) && value == 0);
    }

    [Theory]
    [InlineData("", '.')]
    [InlineData("-", '.')]
    [InlineData(".", '.')]
    [InlineData("1e", '.')]
    [InlineData("1e+", '.')]
    [InlineData("1e1000", '.')]
    [InlineData(" 1", '.')]
    [InlineData("1 ", '.')]
    [InlineData("1.5", ',')]
    [InlineData("1,5", '.')]
    [InlineData("1.2.3", '.')]
    [InlineData("0x10", '.')]
    [InlineData("NaN", '.')]
    [InlineData("2.5\0", '.')]
    [InlineData("1234567890123456", '.')]
    [InlineData("1e23", '.')]
    [InlineData("1e-23", '.')]
    public void Declines_what_it_cannot_read_exactly(string text, char separator)
    {
        Assert.False(PlainDecimal.TryParse(text, separator, out _));
    }

    [Fact]
    public void Gives_the_same_double_as_the_general_parser_whenever_it_reads_a_number()
    {
        var digits = Gen.Char["0123456789"].Array[0, 18].Select(c => new string(c));
        var numbers = Gen.Select(Gen.OneOf("", "-", "+"), digits, Gen.OneOf("", "."), digits, Gen.OneOf("", "e", "E-", "e+"), Gen.Int[0, 30])
            .Select((sign, whole, point, fraction, e, exponent) => sign + whole + point + fraction + (e.Length > 0 ? e + exponent.ToString(CultureInfo.InvariantCulture) : ""));
        int read = 0;
        numbers.Sample(text =>
        {
            if (PlainDecimal.TryParse(text, '.', out double value))
            {
                read++;
                double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"'{text}': {value:R}, the general parser {expected:R}");
            }
        }, iter: 20_000, threads: 1);
        Assert.True(read > 5_000, $"only {read} of 20,000 were read by the fast path");
    }
}
