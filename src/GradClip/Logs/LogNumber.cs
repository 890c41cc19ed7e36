using System.Globalization;
using GradClip.Data;

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
        if (CellText.TryNonFinite(trimmed, out value))
        {
            return true;
        }
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
