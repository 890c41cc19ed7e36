using System.Globalization;

namespace GradClip.Data;

/// <summary>Thrown when a data file cannot be read as a dataset; says where: the file, the line and the column.</summary>
/// <remarks>The message starts with the location, e.g. <c>data.csv, line 17, column 'x3': 'abc' is not a number.</c></remarks>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for a problem at a place in a file; line and column are left out when the problem has none.</summary>
    public DataFormatException(string file, int? line, string? column, string problem)
        : base(Locate(file, line, column) + ": " + problem)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates the exception for a file that could not be read at all, keeping the error that stopped it.</summary>
    public DataFormatException(string file, string problem, Exception innerException)
        : base(file + ": " + problem, innerException)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file as the caller named it (or the source name given for a stream).</summary>
    public string File { get; }

    /// <summary>The 1-based line where the offending row starts, or null when the problem is not on one line.</summary>
    public int? Line { get; }

    /// <summary>The name of the offending column, or null when the problem is not in one named column.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Locate(string file, int? line, string? column)
    {
        string place = file;
        if (line is int number)
        {
            place += ", line " + number.ToString(CultureInfo.InvariantCulture);
        }
        if (column is not null)
        {
            place += $", column '{column}'";
        }
        return place;
    }
}
