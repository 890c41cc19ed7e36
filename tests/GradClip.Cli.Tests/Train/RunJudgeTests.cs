using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradClip.Cli.Train;
using GradClip.Data;

namespace GradClip.Cli.Tests.Train;

/// <summary>How <c>train</c> judges its runs: the failures users met, and verdicts whose every figure is in the run's files.</summary>
public sealed partial class RunJudgeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-judge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name) => Path.Combine(_folder, name);

    private static List<JsonElement> Verdicts(string folder) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json"))).RootElement.GetProperty("verdicts").EnumerateArray()];

    private static string Text(JsonElement verdict, string key) => verdict.GetProperty(key).GetString()!;

    /// <summary>Trains with <paramref name="args"/> into a fresh folder named <paramref name="name"/>; returns the folder.</summary>
    private string Train(string name, params string[] args)
    {
        var (code, output) = CliRunner.Run(["train", "--out", Out(name), .. args]);
        Assert.True(code is 0 or 1, output);
        return Out(name);
    }

    [Fact]
    public void A_learning_rate_of_10_on_a_small_three_class_csv_is_an_error_not_healthy()
    {
        string run = Train("lr10", "--data", SmallCsv(), "--lr", "10", "--epochs", "20");

        var first = Verdicts(run)[0];
        Assert.Equal("error", Text(first, "severity"));
        Assert.NotEqual("Healthy", Text(first, "kind"));
        Assert.Contains("lower the learning rate", Text(first, "suggestion"));
    }

    [Fact]
    public void Sgd_clipped_on_every_step_at_max_norm_0_1_while_the_loss_crawls_is_over_clipped()
    {
        string run = Train("sgd", "--optimizer", "sgd", "--max-norm", "0.1");

        var first = Verdicts(run)[0];
        Assert.Equal("OverClipped", Text(first, "kind"));
        Assert.Equal("warning", Text(first, "severity"));
        Assert.Contains("Clipping fired on 100 % of the steps of every epoch (max_norm 0.1)", Text(first, "evidence"));
        Assert.Contains("Raise max_norm", Text(first, "suggestion"));
    }

    [Fact]
    public void Deep_mlp_on_synthetic_data_is_never_told_to_look_for_bad_rows()
    {
        string run = Train("deep", "--task", "deep-mlp");

        Assert.DoesNotContain(Verdicts(run), v => Text(v, "kind") == "LossSpikeWithoutGradientSpike");
        Assert.DoesNotContain(Verdicts(run), v => Text(v, "suggestion").Contains("bad rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Advice_under_clipping_by_value_names_only_options_that_clipping_by_value_has()
    {
        string run = Train("value", "--optimizer", "sgd", "--clip", "value", "--clip-value", "0.001");

        var verdicts = Verdicts(run);
        Assert.DoesNotContain(verdicts, v => Text(v, "suggestion").Contains("max_norm", StringComparison.Ordinal));
        Assert.Contains(verdicts, v => Text(v, "suggestion").Contains("clip_value", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_figure_in_every_verdict_is_a_figure_of_the_runs_files_at_the_printed_precision()
    {
        string[] runs =
        [
            Train("default", "--epochs", "8"),
            Train("lr10", "--data", SmallCsv(), "--lr", "10", "--epochs", "20"),
            Train("sgd", "--optimizer", "sgd", "--max-norm", "0.1", "--epochs", "8"),
            Train("deep", "--task", "deep-mlp", "--epochs", "5"),
            Train("none", "--data", SmallCsv(), "--clip", "none", "--lr", "0.3", "--optimizer", "sgd", "--epochs", "20"),
        ];
        foreach (string run in runs)
        {
            var figures = FiguresOf(run);
            foreach (var verdict in Verdicts(run))
            {
                foreach (string field in new[] { "summary", "evidence" })
                {
                    foreach (Match number in NumberPattern().Matches(Text(verdict, field)))
                    {
                        Assert.True(figures.Contains(number.Value), $"{Path.GetFileName(run)}: {number.Value} in \"{Text(verdict, field)}\" is in no metrics file");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_batch_is_described_by_the_csv_lines_its_rows_were_read_from()
    {
        // Each row's first feature is the line it stands on (a blank line shifts the later ones), so a described line can be checked.
        var text = new StringBuilder("line,b,class\n");
        for (int line = 2, row = 0; row < 100; line++, row++)
        {
            if (row == 50)
            {
                text.Append('\n');
                line++;
            }
            text.Append(CultureInfo.InvariantCulture, $"{line},{row % 7},{row % 3}\n");
        }
        string path = Out("lines.csv");
        File.WriteAllText(path, text.ToString());
        var data = CsvDataLoader.Load(path, null, null);
        var split = DataSplit.Create(data, 0.2, 0);
        string described = RunJudge.DescribeBatch(batchSize: 8, new GradClip.Randomness.Generator(0).GetState(), data, split, step: 12);

        var lines = LinesPattern().Match(described).Groups[1].Value.Split(", ").Select(int.Parse).ToList();
        Assert.Equal(8, lines.Count);
        var rowsOfLines = lines.Select(line => Enumerable.Range(0, data.RowCount).Single(r => data.Row(r)[0] == line)).ToList();
        Assert.All(rowsOfLines, r => Assert.Contains(r, split.TrainRows));
        Assert.EndsWith($" of {path}", described);
    }

    [GeneratedRegex(@"^lines ([\d, ]+) of ")]
    private static partial Regex LinesPattern();

    /// <summary>Every number of the run's metrics files and summary, as the verdicts print it (3 significant digits, percentages too).</summary>
    private static HashSet<string> FiguresOf(string run)
    {
        var values = new List<double>();
        foreach (string file in new[] { "steps.jsonl", "metrics.jsonl", "summary.json" })
        {
            foreach (string line in File.ReadAllLines(Path.Combine(run, file)))
            {
                Collect(JsonDocument.Parse(line).RootElement, values);
            }
        }
        var figures = new HashSet<string>(StringComparer.Ordinal);
        foreach (double v in values)
        {
            figures.Add(v.ToString("G3", CultureInfo.InvariantCulture));
            figures.Add((100 * v).ToString("G3", CultureInfo.InvariantCulture));
        }
        return figures;
    }

    private static void Collect(JsonElement json, List<double> values)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Number:
                values.Add(json.GetDouble());
                break;
            case JsonValueKind.String when double.TryParse(json.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double option):
                values.Add(option);
                break;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    Collect(property.Value, values);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    Collect(item, values);
                }
                break;
        }
    }

    /// <summary>A number as the verdicts write one: digits, an optional fraction and exponent (layer names like 0.weight excluded).</summary>
    [GeneratedRegex(@"(?<![\w.])-?\d+(\.\d+)?(E[+-]\d+)?(?![\w.]*[A-Za-z_])")]
    private static partial Regex NumberPattern();

    /// <summary>150 rows of the built-in data (standardized, three classes) as a CSV file: a small flower-sized dataset.</summary>
    private string SmallCsv()
    {
        var data = BuiltInData.Shells(0);
        var split = DataSplit.Create(data, 0.2, 0);
        var x = Standardizer.Fit(data, split.TrainRows.AsSpan()).Transform(data.Features.AsSpan());
        var text = new StringBuilder(string.Join(",", data.FeatureNames) + ",class\n");
        for (int r = 0; r < 150; r++)
        {
            for (int f = 0; f < data.FeatureCount; f++)
            {
                text.Append(x[r * data.FeatureCount + f].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }
            text.Append(data.ClassNames[data.Labels[r]]).Append('\n');
        }
        string path = Path.Combine(_folder, "small.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
