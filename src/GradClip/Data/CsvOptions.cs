using System.Text;

namespace GradClip.Data;

/// <summary>How to read a CSV file: each setting left null is detected from the file's first rows.</summary>
public sealed record CsvOptions
{
    /// <summary>The options that detect everything and refuse missing values.</summary>
    public static CsvOptions Default { get; } = new();

    /// <summary>The character between fields (<c>,</c> <c>;</c> or tab), or null to detect it from the first rows.</summary>
    public char? Delimiter { get; init; }

    /// <summary>The decimal separator of numbers (<c>.</c> or <c>,</c>), or null for <c>,</c> in a file whose numbers use it and <c>.</c> otherwise.</summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>True when the first row names the columns, false when it is data (columns are named c0, c1, …), null to detect.</summary>
    public bool? HasHeader { get; init; }

    /// <summary>The text encoding, or null for UTF-8, where an invalid byte is an error (a byte-order mark is honoured).</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>Columns that are read past and not used (an id, free text).</summary>
    public IReadOnlyList<string> IgnoreColumns { get; init; } = [];

    /// <summary>What to do with an empty feature cell.</summary>
    public MissingValues Missing { get; init; } = MissingValues.Error;
}
