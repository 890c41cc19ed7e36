using System.Globalization;

namespace GradClip.Logs;

/// <summary>
/// Thrown when a training log cannot be read; the message starts with where: the file, and the line and column (or the
/// byte offset, for JSON) when the problem is at one place, e.g. <c>metrics.csv, line 17, column 'loss': 'abc' is not a number.</c>
/// </summary>
public sealed class LogFormatException : Exception
{
    /// <summary>Creates the exception for a problem at a place in <paramref name="file"/>; the place's parts are left out when null.</summary>
    public LogFormatException(string file, string problem, int? line = null, string? column = null, long? byteOffset = null)
        : base(Locate(file, line, column, byteOffset) + ": " + problem)
    {
        File = file;
        Line = line;
        Column = column;
        ByteOffset = byteOffset;
        Problem = problem;
    }

    /// <summary>The file as the caller named it.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the problem, when it is on one line.</summary>
    public int? Line { get; }

    /// <summary>The column (or JSON key) of the problem, when it is in one.</summary>
    public string? Column { get; }

    /// <summary>The 0-based byte offset in the file where reading failed, for JSON.</summary>
    public long? ByteOffset { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Problem { get; }

    private static string Locate(string file, int? line, string? column, long? byteOffset)
    {
        string place = file;
        if (line is { } number)
        {
            place += ", line " + number.ToString(CultureInfo.InvariantCulture);
        }
        if (column is not null)
        {
            place += $", column '{column}'";
        }
        if (byteOffset is { } offset)
        {
            place += ", byte " + offset.ToString(CultureInfo.InvariantCulture);
        }
        return place;
    }
}
