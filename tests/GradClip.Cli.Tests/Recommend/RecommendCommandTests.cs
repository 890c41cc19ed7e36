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
}
