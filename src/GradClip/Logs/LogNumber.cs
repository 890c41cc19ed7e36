using System.Globalization;

namespace GradClip.Logs;

/// <summary>
/// Reads a number as training tools write it: the invariant culture, and NaN or infinity in any spelling that Python,
/// NumPy, PyTorch or a spreadsheet uses (<c>NaN</c>, <c>nan</c>, <c>-nan</c>, <c>Infinity</c>, <c>inf</c>, <c>-inf</c>,
/// <c>+inf</c>, <c>∞</c>, any case).
/// </summary>
internal static class LogNumber
{
    /// <summary>Whether <paramref name="text"/> is a number; <paramref name="value"/> is set when it is.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        ReadOnlySpan<char> trimmed = text.Trim();
        if (TryNonFinite(trimmed, out value))
        {
            return true;
        }
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether <paramref name="word"/> names NaN or an infinity; <paramref name="value"/> is set when it does.</summary>
    public static bool TryNonFinite(ReadOnlySpan<char> word, out double value)
    {
        value = 0;
        bool negative = word.Length > 0 && word[0] == '-';
        ReadOnlySpan<char> body = word.Length > 0 && word[0] is '-' or '+' ? word[1..] : word;
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || body.Equals("infinity", StringComparison.OrdinalIgnoreCase)
            || body.Equals("∞", StringComparison.Ordinal))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        return false;
    }

    /// <summary>A cell as messages show it: quoted, cut short when long.</summary>
    public static string Show(ReadOnlySpan<char> cell) => cell.Length <= 40 ? $"'{cell}'" : $"'{cell[..40]}…'";
}
