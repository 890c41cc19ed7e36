using System.Globalization;

namespace GradClip.Data;

/// <summary>Reads one CSV cell as a finite 32-bit number or as text, and shows cells in messages.</summary>
internal static class CellText
{
    private const int ShownLength = 40;

    /// <summary>What a cell holds.</summary>
    public enum Kind
    {
        /// <summary>A finite number that a float holds.</summary>
        Number,

        /// <summary>Nothing (missing value).</summary>
        Empty,

        /// <summary>NaN or infinity spelled out (nan, inf, -Infinity, ∞, any case).</summary>
        NonFinite,

        /// <summary>A number beyond the float range (e.g. 1e39).</summary>
        TooLarge,

        /// <summary>Anything else: a label, or a typo in a number.</summary>
        Text,
    }

    /// <summary>The invariant culture's numbers, with a decimal comma (<c>1,5</c>) instead of a point.</summary>
    public static readonly NumberFormatInfo DecimalComma = NumberFormatInfo.ReadOnly(new NumberFormatInfo { NumberDecimalSeparator = ",", NumberGroupSeparator = "" });

    /// <summary>Reads <paramref name="cell"/> with the invariant culture; <paramref name="value"/> is set for a number.</summary>
    public static Kind Read(ReadOnlySpan<char> cell, out double value) => Read(cell, NumberFormatInfo.InvariantInfo, out value);

    /// <summary>Reads <paramref name="cell"/> with the decimal separator of <paramref name="numbers"/>; <paramref name="value"/> is set for a number.</summary>
    public static Kind Read(ReadOnlySpan<char> cell, NumberFormatInfo numbers, out double value)
    {
        // Nearly every cell is a plain decimal number: read it without the general parser when that gives the same value.
        if (PlainDecimal.TryParse(cell, numbers.NumberDecimalSeparator[0], out value) && float.IsFinite((float)value))
        {
            return Kind.Number;
        }
        value = 0;
        if (cell.IsEmpty)
        {
            return Kind.Empty;
        }
        // .NET's parser skips trailing NUL characters ("2.5\0" would read as 2.5): a control character is never part of a number.
        if (cell.ContainsAnyInRange('\0', '\u001f'))
        {
            return Kind.Text;
        }
        // Numbers first, as nearly every cell is one; the parser also reads "NaN", "Infinity" and "∞" (as NaN or ±∞).
        if (!double.TryParse(cell, NumberStyles.Float, numbers, out double number))
        {
            return NamesNonFinite(cell) ? Kind.NonFinite : Kind.Text;
        }
        if (double.IsNaN(number))
        {
            return Kind.NonFinite;
        }
        if (double.IsInfinity(number))
        {
            return NamesNonFinite(cell) ? Kind.NonFinite : Kind.TooLarge;
        }
        if (!float.IsFinite((float)number))
        {
            return Kind.TooLarge;
        }
        value = number;
        return Kind.Number;
    }

    /// <summary>Why a cell of <paramref name="kind"/> is not a number, for an error message.</summary>
    public static string Explain(Kind kind, ReadOnlySpan<char> cell) => kind switch
    {
        Kind.Empty => "the cell is empty (a missing value); --missing drop leaves out its row, --missing mean fills it with the column's training mean",
        Kind.NonFinite => $"{Show(cell)} is not a finite number; NaN and infinity are not allowed",
        Kind.TooLarge => $"{Show(cell)} is too large for a 32-bit float (at most about 3.4e38)",
        _ => $"{Show(cell)} is not a number",
    };

    /// <summary>A cell in quotes, cut short when long, as messages print it.</summary>
    public static string Show(ReadOnlySpan<char> cell) =>
        cell.Length <= ShownLength ? $"'{cell}'" : $"'{cell[..ShownLength]}…'";

    private static bool NamesNonFinite(ReadOnlySpan<char> cell) => TryNonFinite(cell.Trim(), out _);

    /// <summary>
    /// Whether <paramref name="word"/> names NaN or an infinity in a spelling training tools write (<c>NaN</c>, <c>-nan</c>,
    /// <c>Infinity</c>, <c>inf</c>, <c>+inf</c>, <c>∞</c>, any case); <paramref name="value"/> is set when it does.
    /// </summary>
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
}
