using System.Text.Json;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Diagnose;

public sealed class DiagnoseCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-diagnose-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Logs", "Fixtures", name);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A JSON-lines log of <paramref name="steps"/> steps whose loss falls smoothly, with <paramref name="loss"/> overriding some.</summary>
    private string SteadyLog(int steps, Func<int, string>? loss = null)
    {
        var lines = Enumerable.Range(1, steps).Select(i =>
            $"{{\"step\": {i}, \"loss\": {loss?.Invoke(i) ?? (2.0 * Math.Exp(-i / 40.0) + 0.1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, \"grad_norm\": {(1 + 0.1 * Math.Sin(i)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}");
        return Write("train.jsonl", string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void Diagnoses_a_Hugging_Face_log_saying_the_format_the_steps_seen_and_the_assumed_max_norm()
    {
        var (code, output) = CliRunner.Run("diagnose", Fixture("hf-tinyllama-trimmed.json"));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Hugging Face Trainer trainer_state.json", output);
        Assert.Contains("56 logged of 2800 run", output);
        Assert.Contains("max_norm 1 assumed", output);
        Assert.Contains("Verdict (", output);
        Assert.Contains("AutoClip p10", output);
    }

    [Fact]
    public void Writes_diagnosis_json_and_a_report_into_out_and_nothing_beside_the_log()
    {
        string log = SteadyLog(200);
        string output = Path.Combine(_folder, "diagnosis");
        var before = Directory.GetFileSystemEntries(_folder).Order().ToArray();

        var (code, _) = CliRunner.Run("diagnose", log, "--out", output, "--max-norm", "1.05");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal([.. before.Append(output).Order()], Directory.GetFileSystemEntries(_folder).Order());
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "diagnosis.json"))).RootElement;
        var verdict = json.GetProperty("verdicts")[0];
        foreach (string key in new[] { "kind", "severity", "summary", "evidence", "suggestion", "first_step" })
        {
            Assert.True(verdict.TryGetProperty(key, out _), key);
        }
        Assert.Equal("JSON-lines step log", json.GetProperty("format").GetString());
        Assert.Equal(200, json.GetProperty("steps_logged").GetInt32());
        Assert.Equal(1.05, json.GetProperty("max_norm").GetDouble());
        Assert.Contains("<h1>GradClip diagnosis</h1>", File.ReadAllText(Path.Combine(output, "report.html")));
        Assert.True(File.Exists(Path.Combine(output, "grad_norm.png")));
    }

    [Fact]
    public void The_same_log_gives_the_same_diagnosis_json_byte_for_byte()
    {
        string log = SteadyLog(120);

        CliRunner.Run("diagnose", log, "--out", Path.Combine(_folder, "a"));
        CliRunner.Run("diagnose", log, "--out", Path.Combine(_folder, "b"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(_folder, "a", "diagnosis.json")), File.ReadAllBytes(Path.Combine(_folder, "b", "diagnosis.json")));
    }

    [Fact]
    public void Refuses_to_write_into_the_log_s_own_folder_or_over_files()
    {
        string log = SteadyLog(50);
        string full = Path.Combine(_folder, "full");
        Write("full/keep.txt", "mine");

        var (ownCode, ownOutput) = CliRunner.Run("diagnose", log, "--out", _folder);
        var (fullCode, fullOutput) = CliRunner.Run("diagnose", log, "--out", full);

        Assert.Equal((ExitCodes.BadInput, ExitCodes.BadInput), (ownCode, fullCode));
        Assert.Contains("the log's own folder", ownOutput);
        Assert.Contains("already holds files", fullOutput);
        Assert.False(File.Exists(Path.Combine(_folder, "diagnosis.json")));
        Assert.Equal(["keep.txt"], Directory.GetFiles(full).Select(Path.GetFileName));
    }

    [Fact]
    public void Fail_on_exits_3_when_a_verdict_of_that_severity_is_found_and_0_without_it()
    {
        string log = SteadyLog(100, i => i >= 60 ? "NaN" : "1.0");

        var (plain, _) = CliRunner.Run("diagnose", log);
        var (failing, output) = CliRunner.Run("diagnose", log, "--fail-on", "error");

        Assert.Equal(ExitCodes.Success, plain);
        Assert.Equal(ExitCodes.VerdictFound, failing);
        Assert.Contains("Verdict (error)", output);
    }

    [Fact]
    public void An_unknown_format_names_the_known_formats_and_the_columns_seen()
    {
        string csv = Write("iris.csv", "sepal_length,species\n5.1,setosa\n");

        var (code, output) = CliRunner.Run("diagnose", csv);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Known formats", output);
        Assert.Contains("'sepal_length', 'species'", output);
    }

    [Fact]
    public void A_truncated_trainer_state_names_the_byte_where_it_ends()
    {
        string path = Write("trainer_state.json", """{"global_step": 20, "log_history": [{"step": 10, "loss": 2.5, "grad_norm": 1.5}, {"step": 2""");

        var (code, output) = CliRunner.Run("diagnose", path);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("truncated", output);
        Assert.Contains($"byte {new FileInfo(path).Length}", output);
    }

    [Fact]
    public void A_GradClip_run_gets_the_verdict_kinds_train_gave_it()
    {
        string run = Path.Combine(_folder, "run");
        CliRunner.Run("train", "--epochs", "3", "--out", run);
        var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement.GetProperty("verdicts")
            .EnumerateArray().Select(v => v.GetProperty("kind").GetString()).ToList();

        var (code, _) = CliRunner.Run("diagnose", run, "--out", Path.Combine(_folder, "diagnosis"));

        Assert.Equal(ExitCodes.Success, code);
        var diagnosed = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "diagnosis", "diagnosis.json"))).RootElement.GetProperty("verdicts")
            .EnumerateArray().Select(v => v.GetProperty("kind").GetString()).ToList();
        Assert.NotEmpty(trained);
        Assert.Equal(trained, diagnosed);
    }

    [Fact]
    public void Recommend_from_a_log_suggests_the_90th_percentile_of_its_logged_norms()
    {
        string advice = Path.Combine(_folder, "advice");

        var (code, output) = CliRunner.Run("recommend", "--from-log", Fixture("hf-tinyllama-trimmed.json"), "--out", advice);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("56 logged gradient norms", output);
        Assert.Contains("ZClip", output);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(advice, "recommendation.json"))).RootElement;
        // numpy.percentile of the fixture's 56 grad_norm values, 90: worked out from the file by hand (Python).
        Assert.Equal(1.7617579102516174, json.GetProperty("suggested_max_norm").GetDouble(), 12);
        Assert.Equal("Transformer", json.GetProperty("model_kind").GetString());
    }

    [Fact]
    public void Recommend_from_a_log_refuses_probe_options()
    {
        var (code, output) = CliRunner.Run("recommend", "--from-log", Fixture("hf-tinyllama-trimmed.json"), "--steps", "50", "--out", Path.Combine(_folder, "x"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--steps", output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }
}
