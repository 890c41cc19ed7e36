using System.Globalization;

namespace GradClip.Data;

/// <summary>
/// How a CSV file is laid out — delimiter, decimal separator, and what its first row is — as given by <see cref="CsvOptions"/>
/// or detected from its first rows, with a sentence saying which and why.
/// </summary>
/// <param name="Delimiter">The character between fields.</param>
/// <param name="Numbers">The number format of the cells (its decimal separator).</param>
/// <param name="FirstRow">What the first row holds.</param>
/// <param name="ClassNames">For <see cref="FirstRowKind.SampleCounts"/>, the class names it lists; otherwise empty.</param>
/// <param name="Description">The layout in words, e.g. <c>semicolon-separated (detected), decimal comma (detected), header row</c>.</param>
internal sealed record CsvLayout(char Delimiter, NumberFormatInfo Numbers, CsvLayout.FirstRowKind FirstRow, IReadOnlyList<string> ClassNames, string Description)
{
    /// <summary>What the first row of a file holds.</summary>
    public enum FirstRowKind
    {
        /// <summary>The column names.</summary>
        Names,

        /// <summary>Data: the columns are named c0, c1, ….</summary>
        Data,

        /// <summary>scikit-learn's layout: the row and feature counts, then the class names; the target holds class indices.</summary>
        SampleCounts,
    }

    private const int SampleRows = 20;
    private static readonly char[] Delimiters = [',', ';', '\t'];

    /// <summary>The layout of <paramref name="stream"/>: the <paramref name="options"/> where they say, detected where they do not.</summary>
    public static CsvLayout Detect(Stream stream, string source, CsvOptions options)
    {
        var words = new List<string>();
        char delimiter = options.Delimiter ?? DetectDelimiter(stream, options);
        words.Add($"{DelimiterName(delimiter)}-separated{(options.Delimiter is null ? " (detected)" : "")}");
        var rows = Sample(stream, source, options, delimiter);
        char decimalSeparator = options.DecimalSeparator ?? (delimiter != ',' && rows.Skip(1).Any(r => r.Any(LooksLikeDecimalComma)) ? ',' : '.');
        var numbers = decimalSeparator == ',' ? CellText.DecimalComma : NumberFormatInfo.InvariantInfo;
        words.Add($"decimal {(decimalSeparator == ',' ? "comma" : "point")}{(options.DecimalSeparator is null ? " (detected)" : "")}");
        (FirstRowKind first, IReadOnlyList<string> classes) = ClassifyFirstRow(rows, numbers, options, source);
        words.Add(first switch
        {
            FirstRowKind.Data => "no header: columns named c0, c1, …",
            FirstRowKind.SampleCounts => $"first line '{string.Join(Shown(delimiter), rows[0])}' read as scikit-learn's row count, feature count and class names",
            _ => "header row",
        });
        return new CsvLayout(delimiter, numbers, first, classes, string.Join(", ", words));
    }

    /// <summary>The delimiter in words: comma, semicolon or tab.</summary>
    public static string DelimiterName(char delimiter) => delimiter switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        _ => $"'{delimiter}'",
    };

    /// <summary>The candidate found the same, non-zero number of times in the first two lines, the most often; comma when none is.</summary>
    private static char DetectDelimiter(Stream stream, CsvOptions options)
    {
        using var text = CsvText.Open(stream, options.Encoding);
        string first = NextNonBlankLine(text) ?? "";
        string? second = NextNonBlankLine(text);
        char best = ',';
        int bestCount = 0;
        foreach (char candidate in Delimiters)
        {
            int count = CountOutsideQuotes(first, candidate);
            bool consistent = second is null || CountOutsideQuotes(second, candidate) == count;
            if (consistent && count > bestCount)
            {
                (best, bestCount) = (candidate, count);
            }
        }
        return best;
    }

    private static string? NextNonBlankLine(TextReader text)
    {
        string? line;
        while ((line = text.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
        {
        }
        return line;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        int count = 0;
        bool quoted = false;
        foreach (char c in line)
        {
            quoted ^= c == '"';
            count += !quoted && c == delimiter ? 1 : 0;
        }
        return count;
    }

    /// <summary>The first rows of the file, as text fields, up to the first malformed one.</summary>
    private static List<string[]> Sample(Stream stream, string source, CsvOptions options, char delimiter)
    {
        using var text = CsvText.Open(stream, options.Encoding);
        using var reader = new CsvRecordReader(text, source, delimiter, CsvDataLoader.MaxFieldLength, CsvDataLoader.MaxColumns);
        var rows = new List<string[]>();
        try
        {
            while (rows.Count < SampleRows && reader.ReadRecord())
            {
                rows.Add([.. Enumerable.Range(0, Math.Min(reader.FieldCount, reader.MaxStoredFields)).Select(i => reader.Field(i).ToString())]);
            }
        }
        catch (DataFormatException)
        {
            // A malformed row ends the sample; the full read reports it with its column's name.
        }
        return rows;
    }

    private static bool LooksLikeDecimalComma(string cell) =>
        cell.Contains(',') && !cell.Contains('.') && CellText.Read(cell, CellText.DecimalComma, out _) == CellText.Kind.Number;

    /// <summary>Names (the default), data (every cell of the kind of the cell below it, some numbers) or scikit-learn's counts.</summary>
    private static (FirstRowKind, IReadOnlyList<string>) ClassifyFirstRow(List<string[]> rows, NumberFormatInfo numbers, CsvOptions options, string source)
    {
        if (options.HasHeader is not null || rows.Count < 2)
        {
            return (options.HasHeader == false ? FirstRowKind.Data : FirstRowKind.Names, []);
        }
        string[] first = rows[0], second = rows[1];
        if (IsSampleCounts(first, second, numbers))
        {
            return (FirstRowKind.SampleCounts, first[2..]);
        }
        bool sameKinds = first.Length == second.Length
            && first.Select((cell, j) => IsNumber(cell, numbers) == IsNumber(second[j], numbers)).All(same => same);
        if (sameKinds && first.Any(cell => IsNumber(cell, numbers)))
        {
            string shown = string.Join(", ", first.Take(4)) + (first.Length > 4 ? ", …" : "");
            throw new DataFormatException(source, 1, null,
                $"the first row ({shown}) looks like data, not column names: its cells are of the same kinds as the rows below. "
                + "If the file has no header, say so (the columns are then named c0, c1, …); if the first row does name the columns, say that instead");
        }
        return (FirstRowKind.Names, []);
    }

    /// <summary>scikit-learn's <c>150,4,setosa,versicolor,virginica</c>: two counts, at least two class names, rows of that many features and a class index.</summary>
    private static bool IsSampleCounts(string[] first, string[] second, NumberFormatInfo numbers) =>
        first.Length >= 4
        && int.TryParse(first[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rowCount) && rowCount > 0
        && int.TryParse(first[1], NumberStyles.None, CultureInfo.InvariantCulture, out int featureCount) && featureCount > 0
        && second.Length == featureCount + 1
        && first[2..].All(name => !IsNumber(name, numbers))
        && int.TryParse(second[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int label) && label < first.Length - 2;

    private static bool IsNumber(string cell, NumberFormatInfo numbers) => CellText.Read(cell, numbers, out _) == CellText.Kind.Number;

    private static string Shown(char delimiter) => delimiter.ToString();
}
