using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Data;

namespace GradClip.Cli.Tests.Compare;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-compare-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonElement Strategy(JsonElement comparison, string name) =>
        comparison.GetProperty("strategies").EnumerateArray().Single(s => s.GetProperty("strategy").GetString() == name);

    private static List<JsonElement> Steps(string folder) =>
        [.. File.ReadLines(Path.Combine(folder, "steps.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public void On_rnn_long_no_clipping_explodes_while_clipping_by_norm_trains_from_the_same_start()
    {
        string dir = Path.Combine(_folder, "rnn");

        // Seed 5: an initialization whose unclipped gradients explode after the first steps, where the health check sees the spike.
        var (code, output) = CliRunner.Run("compare", "--task", "rnn-long", "--strategies", "none,norm:1", "--no-plots", "--seed", "5", "--out", dir);

        Assert.Equal(ExitCodes.Success, code);
        var comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "comparison.json"))).RootElement;
        Assert.Equal("rnn-long", comparison.GetProperty("task").GetString());
        Assert.Equal("val_rmse", comparison.GetProperty("metric").GetString());
        var none = Strategy(comparison, "none");
        var norm = Strategy(comparison, "norm:1");
        double chance = DecayingSum.ChanceMse(0.8);
        Assert.True(none.GetProperty("diverged").GetBoolean());
        Assert.False(norm.GetProperty("diverged").GetBoolean());
        // The headline is the validation RMSE, whose square is the mean squared error that chance is measured in.
        Assert.True(Math.Pow(none.GetProperty("best_val_metric").GetDouble(), 2) > 0.8 * chance, $"unclipped best {none.GetProperty("best_val_metric")}");
        Assert.True(Math.Pow(norm.GetProperty("best_val_metric").GetDouble(), 2) < 0.1 * chance, $"clipped best {norm.GetProperty("best_val_metric")}");
        Assert.Equal(0, none.GetProperty("clip_rate").GetDouble());
        Assert.InRange(norm.GetProperty("clip_rate").GetDouble(), 0.01, 1);

        var unclipped = Steps(Path.Combine(dir, "none"));
        var clipped = Steps(Path.Combine(dir, "norm-1"));
        // Same initialization and first batch: the first step's loss and gradient are the same under both.
        Assert.Equal(unclipped[0].GetProperty("loss").GetDouble(), clipped[0].GetProperty("loss").GetDouble());
        Assert.Equal(unclipped[0].GetProperty("grad_norm_before").GetDouble(), clipped[0].GetProperty("grad_norm_before").GetDouble());
        var norms = unclipped.Select(s => s.GetProperty("grad_norm_before").GetDouble()).Order().ToList();
        Assert.True(norms[^1] > 100 * norms[norms.Count / 2], $"largest norm {norms[^1]}, median {norms[norms.Count / 2]}");
        Assert.Contains("Exploding", File.ReadAllText(Path.Combine(dir, "none", "summary.json")));
        Assert.Equal("norm:1", comparison.GetProperty("winner").GetString());
        Assert.Contains("Best: norm:1, with the best final val_rmse", string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("none diverged", string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Matches(@"│ none\s+│.*│ yes\s+│", output);
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void A_folder_holding_a_comparison_is_refused_and_overwrite_replaces_it_whole()
    {
        string dir = Path.Combine(_folder, "again");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("compare", "--strategies", "none,norm:1", "--epochs", "1", "--no-plots", "--out", dir).ExitCode);

        var (refused, message) = CliRunner.Run("compare", "--strategies", "value:0.5", "--epochs", "1", "--no-plots", "--out", dir);
        var (code, _) = CliRunner.Run("compare", "--strategies", "value:0.5", "--epochs", "1", "--no-plots", "--overwrite", "--out", dir);

        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("already holds files", message);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(new[] { "value-0.5" }, Directory.GetDirectories(dir).Select(d => Path.GetFileName(d)!).ToArray());
    }

    [Fact]
    public void On_deep_mlp_the_unclipped_network_ends_at_chance_while_the_clipped_one_learns()
    {
        string dir = Path.Combine(_folder, "deep");

        var (code, _) = CliRunner.Run("compare", "--task", "deep-mlp", "--strategies", "none,norm:1", "--no-plots", "--out", dir);

        Assert.Equal(ExitCodes.Success, code);
        var comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "comparison.json"))).RootElement;
        Assert.Equal("val_accuracy", comparison.GetProperty("metric").GetString());
        Assert.True(Strategy(comparison, "norm:1").GetProperty("best_val_metric").GetDouble() >= 0.85);
        var lastEpoch = JsonDocument.Parse(File.ReadLines(Path.Combine(dir, "none", "metrics.jsonl")).Last()).RootElement;
        Assert.Equal(1.0 / 3, lastEpoch.GetProperty("val_accuracy").GetDouble(), 0.05);
    }

    [Fact]
    public void Each_strategy_gets_a_full_run_folder_and_the_comparison_a_report()
    {
        string dir = Path.Combine(_folder, "blobs");

        var (code, output) = CliRunner.Run("compare", "--strategies", "norm:5,value:0.5,zclip", "--epochs", "2", "--out", dir);

        Assert.Equal(ExitCodes.Success, code);
        foreach (string folder in new[] { "norm-5", "value-0.5", "zclip" })
        {
            foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "summary.json", "model.json", "model.safetensors", "report.html" })
            {
                Assert.True(File.Exists(Path.Combine(dir, folder, file)), $"{folder}/{file}");
            }
        }
        Assert.True(File.Exists(Path.Combine(dir, "grad_norm.svg")));
        Assert.Contains("report.html", output);
        var comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "comparison.json"))).RootElement;
        Assert.Equal(["norm:5", "value:0.5", "zclip"], comparison.GetProperty("strategies").EnumerateArray().Select(s => s.GetProperty("strategy").GetString()));
        Assert.All(comparison.GetProperty("strategies").EnumerateArray(), s => Assert.Equal(50, s.GetProperty("steps").GetInt32()));
    }

    [Theory]
    [InlineData("--strategies", "none,clamp:1", "--strategies: 'clamp:1' is not a strategy")]
    [InlineData("--strategies", "autoclip:150", "--strategies: 'autoclip:150': its percentile must be between 0 and 100, but was 150.")]
    [InlineData("--epochs", "0", "--epochs: must be between 1 and")]
    public void Bad_options_exit_2_naming_the_option_and_leave_no_folder(string option, string value, string problem)
    {
        string dir = Path.Combine(_folder, "bad");

        var (code, output) = CliRunner.Run("compare", option, value, "--out", dir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(problem, output);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_built_in_task_refuses_a_data_file()
    {
        var (code, output) = CliRunner.Run("compare", "--task", "rnn-long", "--data", "x.csv", "--out", Path.Combine(_folder, "bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--task rnn-long: a built-in task brings its own data, so --data cannot go with it", output);
    }

    /// <summary>The options of a run on <see cref="Rows"/> that differ from every shared option's default.</summary>
    private string[] Setup() =>
    [
        "--data", Rows(), "--target", "y", "--task", "classification", "--hidden", "12,6", "--epochs", "3", "--batch-size", "10",
        "--lr", "0.02", "--optimizer", "sgd", "--val-split", "0.25", "--seed", "4", "--no-standardize", "--no-plots",
    ];

    [Fact]
    public void A_strategy_run_folder_holds_the_same_bytes_as_train_with_the_same_options()
    {
        string trained = Path.Combine(_folder, "train");
        string compared = Path.Combine(_folder, "compare");

        var (trainCode, _) = CliRunner.Run(["train", .. Setup(), "--clip", "norm", "--max-norm", "1", "--out", trained]);
        var (compareCode, _) = CliRunner.Run(["compare", .. Setup(), "--strategies", "none,norm:1", "--out", compared]);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (trainCode, compareCode));
        foreach (string file in new[] { "metrics.jsonl", "model.safetensors", "steps.jsonl", "model.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(trained, file)), File.ReadAllBytes(Path.Combine(compared, "norm-1", file)));
        }
        // The shared options reached the run: 3 epochs of ceil(90 / 10) steps, on a 3-12-6-3 network.
        Assert.Equal(27, Steps(trained).Count);
        Assert.Contains("\"layers\":[3,12,6,3]", File.ReadAllText(Path.Combine(trained, "model.json")));
    }

    [Theory]
    [InlineData("classification", "val_accuracy")]
    [InlineData("regression", "val_rmse")]
    public void The_task_kind_of_a_data_file_decides_the_compared_metric(string task, string metric)
    {
        string dir = Path.Combine(_folder, task);

        var (code, _) = CliRunner.Run("compare", "--data", Rows(), "--task", task, "--epochs", "1", "--strategies", "norm:1", "--no-plots", "--out", dir);

        Assert.Equal(ExitCodes.Success, code);
        var comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "comparison.json"))).RootElement;
        Assert.Equal(metric, comparison.GetProperty("metric").GetString());
        Assert.StartsWith($"{{\"format\":\"gradclip-mlp\",\"version\":1,\"task\":\"{task}\"", File.ReadAllText(Path.Combine(dir, "norm-1", "model.json")));
    }

    /// <summary>120 rows of three features and an integer target 0, 1 or 2 (a task either kind can learn), as a CSV file.</summary>
    private string Rows()
    {
        string path = Path.Combine(_folder, "rows.csv");
        File.WriteAllLines(path, ["a,b,c,y", .. Enumerable.Range(0, 120).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r % 7 * 0.25},{r * 3 % 11 * 0.1},{r % 3 + r % 5 * 0.05},{r % 3}"))]);
        return path;
    }
}
