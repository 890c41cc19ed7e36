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

    /// <summary>Reads <paramref name="cell"/> with the invariant culture; <paramref name="value"/> is set for a number.</summary>
    public static Kind Read(ReadOnlySpan<char> cell, out double value)
    {
        value = 0;
        if (cell.IsEmpty)
        {
            return Kind.Empty;
        }
        if (NamesNonFinite(cell))
        {
            return Kind.NonFinite;
        }
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return Kind.Text;
        }
        if (double.IsNaN(number))
        {
            return Kind.NonFinite;
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
        Kind.Empty => "the cell is empty; missing values are not supported",
        Kind.NonFinite => $"{Show(cell)} is not a finite number; NaN and infinity are not allowed",
        Kind.TooLarge => $"{Show(cell)} is too large for a 32-bit float (at most about 3.4e38)",
        _ => $"{Show(cell)} is not a number",
    };

    /// <summary>A cell in quotes, cut short when long, as messages print it.</summary>
    public static string Show(ReadOnlySpan<char> cell) =>
        cell.Length <= ShownLength ? $"'{cell}'" : $"'{cell[..ShownLength]}…'";

    private static bool NamesNonFinite(ReadOnlySpan<char> cell)
    {
        ReadOnlySpan<char> word = cell.Trim();
        if (word.Length > 0 && word[0] is '+' or '-')
        {
            word = word[1..];
        }
        return word.Equals("nan", StringComparison.OrdinalIgnoreCase)
            || word.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || word.Equals("infinity", StringComparison.OrdinalIgnoreCase)
            || word.Equals("∞", StringComparison.Ordinal);
    }
}
