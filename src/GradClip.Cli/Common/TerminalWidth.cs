using System.Globalization;

namespace GradClip.Cli.Common;

/// <summary>How wide the tool's output may be: the terminal's width, <c>COLUMNS</c> when set, and wide when piped so that no table cell wraps in a log.</summary>
public static class TerminalWidth
{
    /// <summary>The width used for output that goes to a file or a pipe without <c>COLUMNS</c>: wide enough for every table on one line per row.</summary>
    public const int Piped = 200;

    /// <summary>The narrowest width accepted from <c>COLUMNS</c>.</summary>
    public const int Narrowest = 20;

    /// <summary>
    /// The width to render at: <paramref name="columns"/> (the <c>COLUMNS</c> variable) when it is a whole number of at least
    /// <see cref="Narrowest"/>, else <see cref="Piped"/> when the output is redirected, else the terminal's <paramref name="detected"/> width.
    /// </summary>
    public static int Choose(string? columns, bool redirected, int detected) =>
        int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out int width) && width >= Narrowest ? width
        : redirected ? Piped
        : detected;
}
