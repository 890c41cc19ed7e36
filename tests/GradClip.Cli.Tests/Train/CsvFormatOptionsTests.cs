using System.CommandLine;
using GradClip.Cli.Train;
using GradClip.Data;

namespace GradClip.Cli.Tests.Train;

public sealed class CsvFormatOptionsTests
{
    private static (CsvOptions Options, List<string> Problems) Read(params string[] args)
    {
        var format = new CsvFormatOptions();
        var command = new RootCommand();
        foreach (var option in format.All)
        {
            command.Options.Add(option);
        }
        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        var problems = new List<string>();
        return (format.Read(parsed, problems), problems);
    }

    [Fact]
    public void Reads_every_option_into_the_csv_options()
    {
        var (options, problems) = Read("--delimiter", "tab", "--decimal", ",", "--no-header", "--encoding", "windows-1252",
            "--ignore-columns", "id, note", "--missing", "drop");

        Assert.Empty(problems);
        Assert.Equal('\t', options.Delimiter);
        Assert.Equal(',', options.DecimalSeparator);
        Assert.False(options.HasHeader);
        Assert.Equal(1252, options.Encoding!.CodePage);
        Assert.Equal(["id", "note"], options.IgnoreColumns);
        Assert.Equal(MissingValues.Drop, options.Missing);
    }

    [Fact]
    public void Leaves_everything_to_detection_when_nothing_is_given()
    {
        var (options, _) = Read();

        Assert.Equal(CsvOptions.Default with { IgnoreColumns = options.IgnoreColumns }, options);
        Assert.Empty(options.IgnoreColumns);
    }

    [Theory]
    [InlineData("latin1", 28591)]
    [InlineData("utf-16", 1200)]
    public void Names_each_encoding(string name, int codePage) =>
        Assert.Equal(codePage, Read("--encoding", name).Options.Encoding!.CodePage);

    [Fact]
    public void Header_and_no_header_together_are_a_problem()
    {
        var (_, problems) = Read("--header", "--no-header");

        Assert.Equal(["--header/--no-header: give one of them, not both."], problems);
    }

    [Theory]
    [InlineData("--delimiter", "tab", "--decimal", ",", "--no-header", "--encoding", "windows-1252", "--ignore-columns", "id,note", "--missing", "drop")]
    [InlineData("--delimiter", ";", "--header", "--encoding", "latin1", "--missing", "mean")]
    [InlineData("--encoding", "utf-16")]
    public void Typed_options_read_back_as_the_same_csv_options(params string[] args)
    {
        var (options, _) = Read(args);

        var (again, problems) = Read([.. CsvFormatOptions.Typed(options).SelectMany(o => new[] { "--" + o.Key, o.Value })]);

        Assert.Empty(problems);
        Assert.Equal((options.Delimiter, options.DecimalSeparator, options.HasHeader, options.Encoding?.CodePage, options.Missing),
            (again.Delimiter, again.DecimalSeparator, again.HasHeader, again.Encoding?.CodePage, again.Missing));
        Assert.Equal(options.IgnoreColumns, again.IgnoreColumns);
    }

    [Fact]
    public void Types_nothing_for_the_defaults() =>
        Assert.Empty(CsvFormatOptions.Typed(CsvOptions.Default));
}
