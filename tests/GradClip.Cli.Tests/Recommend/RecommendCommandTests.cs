using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Recommend;

public sealed class RecommendCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-recommend-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Suggests_the_90th_percentile_of_the_norms_an_unclipped_run_records()
    {
        string advice = Path.Combine(_folder, "advice");
        string probe = Path.Combine(_folder, "probe");

        var (code, output) = CliRunner.Run("recommend", "--steps", "100", "--out", advice);
        CliRunner.Run("train", "--clip", "none", "--epochs", "4", "--out", probe);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Suggested max_norm", output);
        var norms = File.ReadLines(Path.Combine(probe, "steps.jsonl")).Take(100)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("grad_norm_before").GetDouble()).Order().ToArray();
        double rank = 0.9 * (norms.Length - 1);
        int below = (int)rank;
        double p90 = norms[below] + (rank - below) * (norms[below + 1] - norms[below]);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(advice, "recommendation.json"))).RootElement;
        Assert.Equal(p90, json.GetProperty("suggested_max_norm").GetDouble(), 12);
        Assert.Equal(p90, json.GetProperty("p90").GetDouble(), 12);
        Assert.Equal(norms[^1], json.GetProperty("max").GetDouble(), 12);
        Assert.Equal(100, json.GetProperty("finite_steps").GetInt32());
    }

    [Fact]
    public void Too_few_steps_are_refused()
    {
        var (code, output) = CliRunner.Run("recommend", "--steps", "3", "--out", Path.Combine(_folder, "x"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--steps: must be between 10 and 100000, but was 3.", output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "x")));
    }

    [Fact]
    public void Probes_the_first_steps_of_the_run_train_does_with_the_same_options()
    {
        string advice = Path.Combine(_folder, "advice");
        string run = Path.Combine(_folder, "run");
        string[] setup = ["--data", Rows(), "--hidden", "12,6", "--batch-size", "10", "--lr", "0.02", "--optimizer", "sgd", "--val-split", "0.25", "--seed", "4", "--no-standardize"];

        var (code, _) = CliRunner.Run(["recommend", .. setup, "--steps", "20", "--out", advice]);
        CliRunner.Run(["train", .. setup, "--clip", "none", "--epochs", "3", "--no-plots", "--out", run]);

        Assert.Equal(ExitCodes.Success, code);
        var norms = File.ReadLines(Path.Combine(run, "steps.jsonl")).Take(20)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("grad_norm_before").GetDouble()).Order().ToArray();
        var json = Advice(advice);
        Assert.Equal(20, json.GetProperty("finite_steps").GetInt32());
        Assert.Equal(norms[^1], json.GetProperty("max").GetDouble());
        // The 90th percentile of 20 sorted norms lies 0.1 of the way from the 18th to the 19th.
        Assert.Equal(norms[17] + 0.1 * (norms[18] - norms[17]), json.GetProperty("p90").GetDouble(), 12);
    }

    [Fact]
    public void Observes_no_more_steps_than_the_run_has()
    {
        string advice = Path.Combine(_folder, "advice");

        var (code, output) = CliRunner.Run("recommend", "--data", Rows(), "--val-split", "0.25", "--batch-size", "10", "--epochs", "2", "--steps", "200", "--out", advice);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Probe: 18 steps (all of the run's 2 epochs) without clipping", output);
        Assert.Equal(18, Advice(advice).GetProperty("finite_steps").GetInt32());
    }

    [Theory]
    [InlineData("classification", "3-64-32-3 (")]
    [InlineData("regression", "3-64-32-1 (")]
    public void The_task_kind_of_a_data_file_decides_the_probed_network(string task, string network)
    {
        var (code, output) = CliRunner.Run("recommend", "--data", Rows(), "--task", task, "--steps", "10", "--out", Path.Combine(_folder, task));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains(network, output);
    }

    private static JsonElement Advice(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "recommendation.json"))).RootElement;

    /// <summary>120 rows of three features and an integer target 0, 1 or 2 (a task either kind can learn), as a CSV file.</summary>
    private string Rows()
    {
        string path = Path.Combine(_folder, "rows.csv");
        File.WriteAllLines(path, ["a,b,c,y", .. Enumerable.Range(0, 120).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r % 7 * 0.25},{r * 3 % 11 * 0.1},{r % 3 + r % 5 * 0.05},{r % 3}"))]);
        return path;
    }
}
