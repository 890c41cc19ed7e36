using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using GradClip.Cli.Common;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

public sealed class CompareReportTests(ComparedRuns compared) : IClassFixture<ComparedRuns>, IDisposable
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly string[] PlotNames = ["loss", "val_accuracy", "grad_norm", "clip_rate"];

    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-compare-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Report_on_a_compare_folder_writes_the_comparison_report_its_plots_and_each_strategy_report()
    {
        var (code, output) = compared.Report;

        Assert.True(code == ExitCodes.Success, output);
        Assert.True(File.Exists(Path.Combine(compared.Folder, RunReport.ReportFile)));
        foreach (string name in PlotNames)
        {
            Assert.Equal((RunPlots.Width, RunPlots.Height), TrainedRun.PngSize(File.ReadAllBytes(Path.Combine(compared.Folder, name + ".png"))));
            TrainedRun.Svg(File.ReadAllText(Path.Combine(compared.Folder, name + ".svg")));
        }
        foreach (var (_, folder, _) in ComparedRuns.Strategies)
        {
            string run = Path.Combine(compared.Folder, folder);
            Assert.Contains(WithoutSpaces(Path.Combine(folder, RunReport.ReportFile)), WithoutSpaces(output));
            TrainedRun.PngSize(File.ReadAllBytes(Path.Combine(run, "grad_norm.png")));
            Assert.Contains("data:image/svg+xml;base64,", File.ReadAllText(Path.Combine(run, RunReport.ReportFile)));
        }
        Assert.Empty(Directory.GetFiles(compared.Folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_unclipped_run_diverges_and_the_clipped_ones_do_not()
    {
        var diverged = Rows().Select(r => r["diverged"]!.GetValue<bool>());

        Assert.Equal([true, false, false], diverged);
    }

    [Fact]
    public void Every_overlay_plot_names_every_strategy_in_its_legend()
    {
        foreach (string plot in PlotNames)
        {
            var texts = Texts(plot);
            Assert.All(ComparedRuns.Strategies, s => Assert.Contains(texts,
                t => t == s.Strategy || t == s.Strategy + ": no finite value" || t.StartsWith(s.Strategy + " (same as ", StringComparison.Ordinal)));
        }
        var rows = Rows();
        var grad = Texts("grad_norm");
        foreach (var row in rows.Where(r => r["first_nonfinite_step"] is not null))
        {
            Assert.Contains($"{row["strategy"]}: first NaN/∞ at step {row["first_nonfinite_step"]}", grad);
        }
        Assert.Single(grad, t => t.StartsWith("Total gradient norm by step (", StringComparison.Ordinal) && t.EndsWith("zero or non-finite values left out)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_page_parses_as_xhtml_and_refers_only_to_anchors_data_uris_and_the_strategies_own_reports()
    {
        var page = Page(compared.Folder);

        var references = page.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href").Select(a => a.Value).ToList();
        Assert.Equal(PlotNames.Length, references.Count(r => r.StartsWith("data:image/svg+xml;base64,", StringComparison.Ordinal)));
        Assert.Empty(page.Descendants(Xhtml + "script"));
        Assert.Empty(page.Descendants(Xhtml + "link"));
        foreach (string reference in references.Where(r => !r.StartsWith("data:", StringComparison.Ordinal)))
        {
            if (reference.StartsWith('#'))
            {
                Assert.Single(page.Descendants(), e => (string?)e.Attribute("id") == reference[1..]);
            }
            else
            {
                Assert.False(Uri.TryCreate(reference, UriKind.Absolute, out _), $"'{reference}' is not a relative link.");
                Assert.True(File.Exists(Path.Combine(compared.Folder, Uri.UnescapeDataString(reference))), $"'{reference}' is not a file of the comparison.");
            }
        }
        Assert.All(ComparedRuns.Strategies, s => Assert.Contains($"{s.Folder}/report.html", references));
    }

    [Fact]
    public void The_table_has_a_row_per_strategy_with_every_figure_the_diverged_highlighted_and_the_best_marked()
    {
        var page = Page(compared.Folder);

        var table = page.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("class") == "strategies");
        var rows = table.Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr").ToList();
        var expected = Rows();
        Assert.Equal(expected.Count, rows.Count);
        double bestAccuracy = expected.Max(r => r["best_val_metric"]?.GetValue<double>() ?? double.MinValue);
        double bestLoss = expected.Min(r => r["final_loss"]?.GetValue<double>() ?? double.MaxValue);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = expected[i];
            var cells = rows[i].Elements(Xhtml + "td").ToList();
            Assert.Equal(
                [
                    row["strategy"]!.GetValue<string>(),
                    Brief(row["final_loss"]),
                    Percent(row["final_val_metric"]),
                    Percent(row["best_val_metric"]),
                    Short(row["final_metrics"]!["val_macro_f1"]),
                    Percent(row["final_metrics"]!["train_accuracy"]),
                    row["diverged"]!.GetValue<bool>() ? "yes" : "no",
                    row["first_nonfinite_step"]?.ToString() ?? "-",
                    Percent(row["clip_rate"]),
                    Brief(row["ms_per_step"]),
                    row["steps"]!.ToString(),
                ],
                cells.Select(td => td.Value));
            Assert.Equal(row["diverged"]!.GetValue<bool>() ? "diverged" : null, (string?)rows[i].Attribute("class"));
            Assert.Equal(row["final_loss"]?.GetValue<double>() == bestLoss, (string?)cells[1].Attribute("class") == "best");
            Assert.Equal(row["best_val_metric"]?.GetValue<double>() == bestAccuracy, (string?)cells[3].Attribute("class") == "best");
        }
        Assert.Contains(table.Descendants(Xhtml + "th"), th => th.Value.EndsWith("val acc", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_strategy_verdicts_are_shown_with_their_evidence_under_its_name()
    {
        var page = Page(compared.Folder);

        var section = page.Descendants(Xhtml + "section").Single(s => (string?)s.Attribute("id") == "verdicts");
        var blocks = section.Elements(Xhtml + "div").ToList();
        Assert.Equal(ComparedRuns.Strategies.Length, blocks.Count);
        for (int i = 0; i < blocks.Count; i++)
        {
            var (strategy, folder, _) = ComparedRuns.Strategies[i];
            Assert.Equal(strategy, blocks[i].Element(Xhtml + "h3")!.Value);
            var verdicts = RunRecords.Read(Path.Combine(compared.Folder, folder)).Summary.Verdicts;
            Assert.NotEmpty(verdicts);
            string text = blocks[i].Value;
            Assert.All(verdicts, v => Assert.Contains(v.Summary, text));
            Assert.All(verdicts, v => Assert.Contains(v.Evidence, text));
            Assert.All(verdicts, v => Assert.Contains(v.Suggestion, text));
        }
        Assert.Contains("Exploding", blocks[0].Value);
    }

    [Fact]
    public void The_configuration_shows_the_comparison_setup_and_the_options_every_strategy_shares()
    {
        var page = Page(compared.Folder);

        var settings = page.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("class") == "options").Descendants(Xhtml + "tr")
            .ToDictionary(tr => tr.Element(Xhtml + "th")!.Value, tr => tr.Element(Xhtml + "td")!.Value);
        Assert.Equal("built-in", settings["task"]);
        Assert.Equal(compared.Comparison["model"]!.GetValue<string>(), settings["model"]);
        Assert.Equal("0", settings["seed"]);
        Assert.Equal("3", settings["epochs"]);
        Assert.Equal("100", settings["lr"]);
        Assert.Equal("sgd", settings["optimizer"]);
        Assert.False(settings.ContainsKey("clip"), "The strategies differ in 'clip', so it is not a shared setting.");
    }

    [Fact]
    public void No_plots_writes_the_tables_and_verdicts_only_and_leaves_the_strategy_reports_alone()
    {
        string folder = compared.Copy(Path.Combine(_folder, "compare"));

        var (code, output) = CliRunner.Run("report", folder, "--no-plots");

        Assert.True(code == ExitCodes.Success, output);
        Assert.Empty(Directory.GetFiles(folder, "*.png", SearchOption.AllDirectories));
        Assert.All(ComparedRuns.Strategies, s => Assert.False(File.Exists(Path.Combine(folder, s.Folder, RunReport.ReportFile))));
        var page = Page(folder);
        Assert.Empty(page.Descendants(Xhtml + "img"));
        Assert.Single(page.Descendants(Xhtml + "table"), t => (string?)t.Attribute("class") == "strategies");
    }

    [Theory]
    [InlineData("task", null, "comparison.json: the key 'task' is missing.")]
    [InlineData("seed", "\"zero\"", "comparison.json: 'seed' should be a whole number, but is a string.")]
    [InlineData("metric", "\"accuracy\"", "comparison.json: 'metric' should name a metric a task declares (val_accuracy, val_rmse, val_perplexity, mean_return), but is \"accuracy\".")]
    [InlineData("strategies", "[]", "comparison.json: 'strategies' is empty, so there is nothing to compare.")]
    [InlineData("strategies", "{}", "comparison.json: 'strategies' should be an array, but is an object.")]
    public void A_malformed_comparison_exits_2_naming_the_file_and_the_key(string key, string? json, string message) =>
        AssertRefusedWith(comparison => comparison, key, json, message);

    [Theory]
    [InlineData("clip_rate", null, "comparison.json, strategy 2: the key 'clip_rate' is missing.")]
    [InlineData("first_nonfinite_step", null, "comparison.json, strategy 2: the key 'first_nonfinite_step' is missing.")]
    [InlineData("diverged", "\"no\"", "comparison.json, strategy 2: 'diverged' should be true or false, but is a string.")]
    [InlineData("final_loss", "\"0.1\"", "comparison.json, strategy 2: 'final_loss' should be a number or null, but is a string.")]
    [InlineData("folder", "\"../norm-1\"", "comparison.json, strategy 2: 'folder' should name a folder inside the comparison's folder, but is \"../norm-1\".")]
    [InlineData("folder", "\"norm-2\"", "comparison.json, strategy 2: the folder of strategy 'norm:1',")]
    public void A_malformed_strategy_exits_2_naming_the_file_the_strategy_and_the_key(string key, string? json, string message) =>
        AssertRefusedWith(comparison => comparison["strategies"]![1]!.AsObject(), key, json, message);

    [Fact]
    public void Comparison_json_that_is_not_json_exits_2_naming_it()
    {
        string folder = compared.Copy(Path.Combine(_folder, "compare"));
        File.WriteAllText(Path.Combine(folder, ComparisonRecords.ComparisonFile), "{\"task\": ");

        AssertRefused(folder, "comparison.json: not valid JSON");
    }

    [Fact]
    public void A_missing_run_file_of_a_strategy_exits_2_naming_it()
    {
        string folder = compared.Copy(Path.Combine(_folder, "compare"));
        File.Delete(Path.Combine(folder, "value-0.5", "steps.jsonl"));

        AssertRefused(folder, Path.Combine("value-0.5", "steps.jsonl") + ": cannot read the run's file: the file is missing.");
    }

    /// <summary>Removes <paramref name="key"/> of the object that <paramref name="owner"/> picks, or sets it to <paramref name="json"/>, and checks the report is refused.</summary>
    private void AssertRefusedWith(Func<JsonObject, JsonObject> owner, string key, string? json, string message)
    {
        string folder = compared.Copy(Path.Combine(_folder, "compare"));
        var comparison = compared.Comparison.DeepClone().AsObject();
        var changed = owner(comparison);
        if (json is null)
        {
            changed.Remove(key);
        }
        else
        {
            changed[key] = JsonNode.Parse(json);
        }
        File.WriteAllText(Path.Combine(folder, ComparisonRecords.ComparisonFile), comparison.ToJsonString());

        AssertRefused(folder, message);
    }

    private static void AssertRefused(string folder, string message)
    {
        var (code, output) = CliRunner.Run("report", folder);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(WithoutSpaces(message), WithoutSpaces(output)); // the console wraps long lines
        Assert.Empty(Directory.GetFiles(folder, "*.html", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private List<JsonObject> Rows() => compared.Comparison["strategies"]!.AsArray().Select(r => r!.AsObject()).ToList();

    private IReadOnlyList<string> Texts(string plot) =>
        TrainedRun.SvgTexts(TrainedRun.Svg(File.ReadAllText(Path.Combine(compared.Folder, plot + ".svg"))));

    private static XDocument Page(string folder) => XDocument.Parse(File.ReadAllText(Path.Combine(folder, RunReport.ReportFile)));

    private static string Brief(JsonNode? value) => value is null ? "-" : NumberText.Brief(value.GetValue<double>());

    private static string Short(JsonNode? value) => value is null ? "-" : NumberText.Short(value.GetValue<double>());

    private static string Percent(JsonNode? value) =>
        value is null ? "-" : (100 * value.GetValue<double>()).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
