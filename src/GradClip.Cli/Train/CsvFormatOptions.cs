using System.CommandLine;
using System.Text;
using GradClip.Cli.Common;
using GradClip.Data;

namespace GradClip.Cli.Train;

/// <summary>The options that say how to read a CSV file (each detected when not given), shared by every command that reads one.</summary>
public sealed class CsvFormatOptions
{
    /// <summary>The field delimiter.</summary>
    public Option<string?> Delimiter { get; } = SetupOptions.Choice<string?>("--delimiter",
        "The character between fields: comma, semicolon or tab (default: detected from the first rows).", null, "comma", "semicolon", "tab", ",", ";", "\\t");

    /// <summary>The decimal separator.</summary>
    public Option<string?> Decimal { get; } = SetupOptions.Choice<string?>("--decimal",
        "The decimal separator of numbers: '.' or ',' (default: ',' when a semicolon- or tab-separated file's numbers use it).", null, ".", ",");

    /// <summary>The first row is data.</summary>
    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The first row is data, not column names: the columns are named c0, c1, …" };

    /// <summary>The first row names the columns even though it looks like data.</summary>
    public Option<bool> Header { get; } = new("--header") { Description = "The first row names the columns, even when they look like numbers (e.g. 0,1,2)." };

    /// <summary>The text encoding.</summary>
    public Option<string?> Encoding { get; } = SetupOptions.Choice<string?>("--encoding",
        "The file's text encoding (default: UTF-8, where an invalid byte is an error).", null, "utf-8", "latin1", "windows-1252", "utf-16");

    /// <summary>Columns to leave out.</summary>
    public Option<string?> IgnoreColumns { get; } = new("--ignore-columns") { Description = "Columns to leave out, comma-separated (an id, free text)." };

    /// <summary>What to do with empty cells.</summary>
    public Option<string> Missing { get; } = SetupOptions.Choice<string>("--missing",
        "Empty feature cells: error (list them), drop (leave out their rows) or mean (fill with the column's training mean, saved with the model).",
        "error", "error", "drop", "mean");

    /// <summary>Every option, in the order <c>--help</c> lists them.</summary>
    public IEnumerable<Option> All => [Delimiter, Decimal, NoHeader, Header, Encoding, IgnoreColumns, Missing];

    /// <summary>The CSV options given; problems (such as --header with --no-header) are added to <paramref name="problems"/>.</summary>
    public CsvOptions Read(ParseResult result, List<string> problems)
    {
        bool header = result.GetValue(Header), noHeader = result.GetValue(NoHeader);
        if (header && noHeader)
        {
            problems.Add("--header/--no-header: give one of them, not both.");
        }
        return new CsvOptions
        {
            Delimiter = result.GetValue(Delimiter) switch
            {
                "comma" or "," => ',',
                "semicolon" or ";" => ';',
                "tab" or "\\t" => '\t',
                _ => null,
            },
            DecimalSeparator = result.GetValue(Decimal)?[0],
            HasHeader = header ? true : noHeader ? false : null,
            Encoding = EncodingNamed(result.GetValue(Encoding)),
            IgnoreColumns = result.GetValue(IgnoreColumns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            Missing = Enum.Parse<MissingValues>(result.GetValue(Missing)!, ignoreCase: true),
        };
    }

    /// <summary>
    /// The settings of <paramref name="csv"/> that differ from the defaults, each by its option's name (without <c>--</c>) and its
    /// value as typed, so that <see cref="Read"/> gives them back; a file read with the defaults records nothing.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> Typed(CsvOptions csv)
    {
        if (csv.Delimiter is { } delimiter)
        {
            yield return new("delimiter", delimiter switch { ',' => "comma", ';' => "semicolon", _ => "tab" });
        }
        if (csv.DecimalSeparator is { } separator)
        {
            yield return new("decimal", separator.ToString());
        }
        if (csv.HasHeader is { } header)
        {
            yield return new(header ? "header" : "no-header", "true");
        }
        if (csv.Encoding is { } encoding)
        {
            yield return new("encoding", EncodingName(encoding));
        }
        if (csv.IgnoreColumns.Count > 0)
        {
            yield return new("ignore-columns", string.Join(",", csv.IgnoreColumns));
        }
        if (csv.Missing != MissingValues.Error)
        {
            yield return new("missing", csv.Missing.ToString().ToLowerInvariant());
        }
    }

    /// <summary>The --encoding name of an encoding that <see cref="EncodingNamed"/> gives.</summary>
    private static string EncodingName(Encoding encoding) => encoding.CodePage switch
    {
        1252 => "windows-1252",
        1200 => "utf-16",
        _ => "latin1",
    };

    /// <summary>The encoding named by --encoding; windows-1252 comes from the code-page provider that ships with .NET.</summary>
    private static Encoding? EncodingNamed(string? name)
    {
        switch (name)
        {
            case "latin1":
                return System.Text.Encoding.Latin1;
            case "windows-1252":
                System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return System.Text.Encoding.GetEncoding(1252);
            case "utf-16":
                return System.Text.Encoding.Unicode;
            default:
                return null;
        }
    }
}
