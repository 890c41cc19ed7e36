namespace GradClip.Data;

/// <summary>
/// Reads the plain decimal numbers that nearly every CSV cell holds (<c>-12.5</c>, <c>3</c>, <c>1.25e-3</c>) exactly as
/// <see cref="double.Parse(string, IFormatProvider)"/> would, several times faster; anything else is left to the general
/// parser.
/// </summary>
/// <remarks>
/// Clinger's fast path: a significand of at most 15 digits is exact in a double, and so is a power of ten up to 10^22, so one
/// multiplication or division, correctly rounded by the hardware, gives the correctly rounded value — the value the general
/// parser gives. A longer significand, a larger exponent, spaces or any other character make it decline.
/// </remarks>
internal static class PlainDecimal
{
    private const int MaxDigits = 15;
    private const int MaxPowerOfTen = 22;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Reads <paramref name="text"/> — an optional sign, digits with at most one <paramref name="decimalSeparator"/>, an
    /// optional exponent — when that can be done exactly; false (with <paramref name="value"/> 0) when it declines.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, char decimalSeparator, out double value)
    {
        value = 0;
        int i = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        int first = i, point = -1, digits = 0, scale = 0;
        ulong significand = 0;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                // Leading zeros are not significant digits; past MaxDigits the sum may wrap, but the number is declined then.
                significand = significand * 10 + digit;
                digits += significand != 0 ? 1 : 0;
                scale -= point >= 0 ? 1 : 0;
            }
            else if (text[i] == decimalSeparator && point < 0)
            {
                point = i;
            }
            else
            {
                break;
            }
        }
        bool anyDigit = i - first > (point >= 0 ? 1 : 0);
        if (!anyDigit || digits > MaxDigits || !TryExponent(text[i..], ref scale) || scale is > MaxPowerOfTen or < -MaxPowerOfTen)
        {
            return false;
        }
        double magnitude = scale >= 0 ? significand * PowersOfTen[scale] : significand / PowersOfTen[-scale];
        value = text[0] == '-' ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Adds the exponent in <paramref name="text"/> (empty, or <c>e</c>/<c>E</c>, a sign and up to three digits) to <paramref name="scale"/>.</summary>
    private static bool TryExponent(ReadOnlySpan<char> text, ref int scale)
    {
        if (text.IsEmpty)
        {
            return true;
        }
        if (text[0] is not ('e' or 'E') || text.Length == 1)
        {
            return false;
        }
        int i = text[1] is '-' or '+' ? 2 : 1;
        if (i == text.Length || text.Length - i > 3)
        {
            return false;
        }
        int exponent = 0;
        for (int k = i; k < text.Length; k++)
        {
            uint digit = (uint)(text[k] - '0');
            if (digit > 9)
            {
                return false;
            }
            exponent = exponent * 10 + (int)digit;
        }
        scale += text[1] == '-' ? -exponent : exponent;
        return true;
    }
}
