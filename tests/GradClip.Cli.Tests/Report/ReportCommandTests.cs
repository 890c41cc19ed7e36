using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GradClip.Cli.Common;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

public sealed class ReportCommandTests(TrainedRun trained) : IClassFixture<TrainedRun>, IDisposable
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly string[] PlotNames = ["loss", "val_accuracy", "grad_norm", "clip_rate", "param_norms"];

    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Writes_report_html_and_every_plot_as_a_valid_png_and_svg()
    {
        string run = trained.Folder;

        var (code, output) = trained.Report;

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("report.html", output);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        foreach (string name in PlotNames)
        {
            var (width, height) = TrainedRun.PngSize(File.ReadAllBytes(Path.Combine(run, name + ".png")));
            Assert.Equal((RunPlots.Width, RunPlots.Height), (width, height));
            TrainedRun.Svg(File.ReadAllText(Path.Combine(run, name + ".svg")));
        }
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [Fact]
    public void The_svg_plots_name_their_series_in_their_legends()
    {
        string run = trained.Folder;

        var steps = File.ReadLines(Path.Combine(run, "steps.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var parameters = steps[0].GetProperty("param_norms").EnumerateObject().Select(p => p.Name).ToList();
        bool anyClipped = steps.Any(s => s.GetProperty("clipped").GetBoolean());
        Assert.Subset(Texts(run, "loss").ToHashSet(), new HashSet<string> { "Loss by epoch", "train loss", "validation loss", "Epoch", "Loss" });
        Assert.Subset(Texts(run, "val_accuracy").ToHashSet(), new HashSet<string> { "Val acc by epoch", "Val acc", "Train acc" });
        var normTexts = Texts(run, "grad_norm");
        Assert.Contains("before clipping", normTexts);
        Assert.Contains("after clipping", normTexts);
        Assert.Contains("max_norm 1", normTexts);
        Assert.Equal(anyClipped, normTexts.Contains("clipped step"));
        Assert.Contains("clip rate", Texts(run, "clip_rate"));
        Assert.Subset(Texts(run, "param_norms").ToHashSet(), parameters.ToHashSet());
    }

    [Fact]
    public void Report_html_parses_as_xml_and_refers_only_to_anchors_and_data_uris()
    {
        string run = trained.Folder;

        var page = Page(run);

        var references = page.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href").Select(a => a.Value).ToList();
        Assert.Equal(PlotNames.Length, references.Count(r => r.StartsWith("data:image/svg+xml;base64,", StringComparison.Ordinal)));
        Assert.All(references, r => Assert.True(r.StartsWith('#') || r.StartsWith("data:", StringComparison.Ordinal), $"'{r}' is not embedded."));
        Assert.Empty(page.Descendants(Xhtml + "script"));
        Assert.Empty(page.Descendants(Xhtml + "link"));
        foreach (var anchor in references.Where(r => r.StartsWith('#')))
        {
            Assert.Single(page.Descendants(), e => (string?)e.Attribute("id") == anchor[1..]);
        }
    }

    [Fact]
    public void Report_shows_every_epoch_of_metrics_jsonl_and_every_verdict_and_option_of_summary_json()
    {
        string run = trained.Folder;

        var page = Page(run);

        var rows = page.Descendants(Xhtml + "table").First().Descendants(Xhtml + "tbody").Single().Elements(Xhtml + "tr")
            .Select(tr => tr.Elements(Xhtml + "td").Select(td => td.Value).ToList()).ToList();
        var epochs = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(epochs.Count, rows.Count);
        for (int i = 0; i < epochs.Count; i++)
        {
            var e = epochs[i];
            Assert.Equal(e.GetProperty("epoch").GetInt32().ToString(CultureInfo.InvariantCulture), rows[i][0]);
            Assert.Equal($"{Brief(e, "grad_norm_before_mean")} / {Brief(e, "grad_norm_before_max")}", rows[i][1]);
            Assert.Equal(Brief(e, "grad_norm_after_mean"), rows[i][2]);
            Assert.Equal(Percent(e, "clip_rate"), rows[i][3]);
            Assert.Equal(Brief(e, "train_loss"), rows[i][4]);
            Assert.Equal(Brief(e, "val_loss"), rows[i][5]);
            Assert.Equal(Percent(e, "val_accuracy"), rows[i][6]);
            Assert.Equal(NumberText.Short(e.GetProperty("val_macro_f1").GetDouble()), rows[i][7]);
            Assert.Equal(Percent(e, "train_accuracy"), rows[i][8]);
        }
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        string text = page.Root!.Value;
        Assert.NotEmpty(summary.GetProperty("verdicts").EnumerateArray());
        foreach (var verdict in summary.GetProperty("verdicts").EnumerateArray())
        {
            Assert.Contains(verdict.GetProperty("summary").GetString()!, text);
            Assert.Contains(verdict.GetProperty("evidence").GetString()!, text);
            Assert.Contains(verdict.GetProperty("suggestion").GetString()!, text);
        }
        var options = page.Descendants(Xhtml + "table").Last().Descendants(Xhtml + "tr")
            .ToDictionary(tr => tr.Element(Xhtml + "th")!.Value, tr => tr.Element(Xhtml + "td")!.Value);
        foreach (var option in summary.GetProperty("options").EnumerateObject())
        {
            Assert.Equal(option.Value.GetString(), options[option.Name]);
        }
    }

    [Fact]
    public void No_plots_writes_the_table_and_verdicts_without_images()
    {
        string run = trained.Copy(Path.Combine(_folder, "run"));

        var (code, _) = CliRunner.Run("report", run, "--no-plots");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(Directory.GetFiles(run, "*.png"));
        Assert.Empty(Directory.GetFiles(run, "*.svg"));
        var page = Page(run);
        Assert.Empty(page.Descendants(Xhtml + "img"));
        Assert.Single(page.Descendants(Xhtml + "section"), s => (string?)s.Attribute("id") == "epochs");
        Assert.Single(page.Descendants(Xhtml + "section"), s => (string?)s.Attribute("id") == "verdicts");
    }

    [Fact]
    public void An_interrupted_run_is_reported_up_to_its_last_checkpoint_and_says_how_to_continue()
    {
        string run = Path.Combine(_folder, "interrupted");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--no-plots", "--out", run).ExitCode);
        // What a run stopped after its last checkpoint and before its summary leaves behind.
        File.Delete(Path.Combine(run, "summary.json"));

        var (code, output) = CliRunner.Run("report", "--no-plots", run);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("was interrupted: reported up to its last checkpoint, 2 epochs", string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("id=\"interrupted\"", File.ReadAllText(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void The_report_train_writes_for_its_finished_run_is_not_marked_in_progress()
    {
        string run = Path.Combine(_folder, "finished");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "1", "--no-plots", "--out", run).ExitCode);

        string html = File.ReadAllText(Path.Combine(run, "report.html"));

        Assert.DoesNotContain("id=\"progress\"", html);
        Assert.Contains("weights kept from epoch", html);
    }

    [Theory]
    [InlineData("metrics.jsonl")]
    [InlineData("steps.jsonl")]
    [InlineData("summary.json")]
    public void A_missing_run_file_exits_2_naming_it(string file)
    {
        string run = trained.Copy(Path.Combine(_folder, "run"));
        File.Delete(Path.Combine(run, file));

        var (code, output) = CliRunner.Run("report", run);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(file, output);
        Assert.Contains("missing", output);
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void A_malformed_line_exits_2_naming_the_file_and_the_line()
    {
        string run = trained.Copy(Path.Combine(_folder, "run"));
        string metrics = Path.Combine(run, "metrics.jsonl");
        var lines = File.ReadAllLines(metrics);
        lines[1] = lines[1][..(lines[1].Length / 2)];
        File.WriteAllLines(metrics, lines);

        var (code, output) = CliRunner.Run("report", run);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("metrics.jsonl, line 2: not valid JSON", output.ReplaceLineEndings(""));
    }

    [Fact]
    public void The_report_train_writes_from_its_own_records_is_the_one_report_rebuilds_from_the_files()
    {
        // deep-mlp without clipping diverges (exit 1, its report still written) through steps whose loss and norms are not
        // finite: the in-memory rows must hold them as the file's nulls, or the plots' marks and the page would differ.
        string run = Path.Combine(_folder, "deep");
        var (code, output) = CliRunner.Run("train", "--task", "deep-mlp", "--clip", "none", "--epochs", "3", "--out", run);
        Assert.True(code == ExitCodes.Failure, output);
        Assert.Contains("\"loss\":null", File.ReadAllText(Path.Combine(run, "steps.jsonl")));
        string[] names = [RunReport.ReportFile, .. PlotNames.Select(n => n + ".svg")];
        var written = names.ToDictionary(n => n, n => File.ReadAllText(Path.Combine(run, n)));

        Assert.Equal(ExitCodes.Success, CliRunner.Run("report", run).ExitCode);

        foreach (string name in names)
        {
            Assert.Equal(WithoutClipIds(written[name]), WithoutClipIds(File.ReadAllText(Path.Combine(run, name))));
        }
    }

    /// <summary>
    /// A page or plot with its SVG clip-path ids (<c>cl_7</c>) numbered away, and the page's embedded SVGs decoded: the
    /// plotting library numbers them from a counter of the process, which a second render in one process moves on.
    /// </summary>
    private static string WithoutClipIds(string text) =>
        Regex.Replace(
            Regex.Replace(text, "data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)", m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))),
            "cl_[0-9a-f]+", "cl_");

    [Fact]
    public void A_malformed_summary_exits_2_naming_it_and_the_key()
    {
        string run = trained.Copy(Path.Combine(_folder, "run"));
        string summary = Path.Combine(run, "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"verdicts\":[", "\"verdicts\":7,\"was\":[", StringComparison.Ordinal));

        var (code, output) = CliRunner.Run("report", run);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("summary.json: 'verdicts' should be an array, but is the number 7.", output.ReplaceLineEndings(""));
    }

    [Fact]
    public void A_folder_that_does_not_exist_exits_2()
    {
        var (code, output) = CliRunner.Run("report", Path.Combine(_folder, "nowhere"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("is not a folder", output);
    }

    private static IReadOnlyList<string> Texts(string run, string plot) =>
        TrainedRun.SvgTexts(TrainedRun.Svg(File.ReadAllText(Path.Combine(run, plot + ".svg"))));

    private static XDocument Page(string run) =>
        XDocument.Parse(File.ReadAllText(Path.Combine(run, RunReport.ReportFile)));

    private static string Brief(JsonElement epoch, string key) =>
        epoch.GetProperty(key).ValueKind == JsonValueKind.Null ? "-" : NumberText.Brief(epoch.GetProperty(key).GetDouble());

    private static string Percent(JsonElement epoch, string key) =>
        epoch.GetProperty(key).ValueKind == JsonValueKind.Null ? "-"
        : (100 * epoch.GetProperty(key).GetDouble()).ToString("0.#", CultureInfo.InvariantCulture) + " %";
}
