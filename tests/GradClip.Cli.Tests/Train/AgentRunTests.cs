using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Training;

namespace GradClip.Cli.Tests.Train;

/// <summary><c>--task rl</c>: a policy-gradient agent on CartPole through train, compare, recommend, diagnose and resume.</summary>
public sealed class AgentRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-agent-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name) => Path.Combine(_folder, name);

    private static string Flat(string output) => string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static List<double> Returns(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("mean_return").GetDouble())];

    [Fact]
    public void Train_reports_the_return_per_epoch_judges_the_run_on_it_and_saves_the_policy()
    {
        var (code, output) = CliRunner.Run("train", "--task", "rl", "--epochs", "4", "--no-plots", "--out", Out("rl"));
        var (diagnosed, verdicts) = CliRunner.Run("diagnose", Out("rl"));

        Assert.Equal(ExitCodes.Success, code);
        string flat = Flat(output);
        Assert.Contains("Policy 4-32-2 with ReLU, REINFORCE with a baseline (discount 0.99); 20 episodes an epoch, 4 a step; sgd lr 0.01", flat);
        Assert.Contains("mean_return", flat);
        Assert.Contains("Return", flat);
        // No validation rows, so no column of dashes for a validation loss, nor one in the chart's legend.
        Assert.DoesNotContain("Val", output);
        Assert.DoesNotContain("validation loss", output);
        Assert.Contains("(highest mean_return)", flat);
        Assert.Equal(4, Returns(Out("rl")).Count);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("rl"), "summary.json"))).RootElement;
        Assert.Equal("reinforcement learning", summary.GetProperty("task").GetString());
        Assert.Equal(80, summary.GetProperty("rows").GetInt32());
        Assert.True(File.Exists(Path.Combine(Out("rl"), "model.safetensors")));
        // diagnose reads the run folder back and judges it on the same terms: the return, never a falling loss.
        Assert.Equal(ExitCodes.Success, diagnosed);
        Assert.Contains("Mean return", Flat(verdicts));
        Assert.DoesNotContain("the loss fell", Flat(verdicts));
    }

    [Fact]
    public void Training_3_epochs_and_resuming_to_6_writes_the_same_bytes_as_training_6_and_a_rerun_the_same_again()
    {
        string[] setup = ["train", "--task", "rl", "--no-plots", "--checkpoint-every", "3"];
        CliRunner.Run([.. setup, "--epochs", "6", "--out", Out("whole")]);
        CliRunner.Run([.. setup, "--epochs", "6", "--out", Out("again")]);
        CliRunner.Run([.. setup, "--epochs", "3", "--out", Out("halves")]);

        var (code, output) = CliRunner.Run("train", "--resume", Out("halves"), "--epochs", "6");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Resuming from the checkpoint after step 15 (epoch 3)", Flat(output));
        foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors" })
        {
            byte[] whole = File.ReadAllBytes(Path.Combine(Out("whole"), file));
            Assert.True(whole.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out("halves"), file))), $"{file} differs after resuming");
            Assert.True(whole.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out("again"), file))), $"{file} differs on a rerun");
        }
    }

    [Fact]
    public void Ctrl_C_keeps_the_checkpoint_of_the_last_epoch_and_the_resumed_run_ends_as_an_uninterrupted_one()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string marker = Path.Combine(Out("run"), "checkpoint", CheckpointFolder.MarkerFile);

        var (code, output) = SignalledRun.Interrupt(["train", "--task", "rl", "--epochs", "300", "--checkpoint-every", "1", "--no-plots", "--out", Out("run")],
            () => File.Exists(marker), "a checkpoint was written", "INT");

        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Contains("Interrupted by SIGINT after epoch", Flat(output));
        Assert.Contains($"Continue with: gradclip train --resume {Out("run")}", Flat(output));
        var saved = CheckpointFolder.Load(Path.Combine(Out("run"), "checkpoint")).Checkpoint;
        Assert.Equal(0, saved.EpochStep);
        string epochs = (saved.Epoch + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--resume", Out("run"), "--epochs", epochs).ExitCode);
        CliRunner.Run("train", "--task", "rl", "--epochs", epochs, "--checkpoint-every", "1", "--no-plots", "--out", Out("whole"));
        foreach (string file in new[] { "metrics.csv", "metrics.jsonl", "steps.jsonl", "model.safetensors" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out("whole"), file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Out("run"), file))), $"{file} differs");
        }
    }

    [Fact]
    public void On_seed_1_the_clipped_run_ends_with_a_higher_return_than_the_unclipped_one()
    {
        var (code, output) = CliRunner.Run("compare", "--task", "rl", "--strategies", "none,norm:5", "--seed", "1", "--no-plots", "--out", Out("compare"));

        Assert.Equal(ExitCodes.Success, code);
        var none = Returns(Path.Combine(Out("compare"), "none"));
        var clipped = Returns(Path.Combine(Out("compare"), "norm-5"));
        // Unclipped, the policy collapses to one action (an episode of about 9 steps); clipped at max_norm 5 it learns.
        Assert.True(none[^1] < 30, $"unclipped final return {none[^1]}");
        Assert.True(clipped[^1] > 4 * none[^1] && clipped.Max() > 200, $"clipped returns {string.Join(", ", clipped)}");
        Assert.Contains("Best: norm:5, with the best final mean_return", Flat(output));
        // The unclipped policy's gradients stayed finite: its return collapsed, it did not diverge.
        var outcome = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("compare"), "comparison.json"))).RootElement.GetProperty("strategies")[0];
        Assert.Equal("none", outcome.GetProperty("strategy").GetString());
        Assert.True(outcome.GetProperty("collapsed").GetBoolean());
        Assert.False(outcome.GetProperty("diverged").GetBoolean());
        Assert.Contains("none collapsed", Flat(output));
    }

    [Fact]
    public void Recommend_probes_the_agent_at_several_max_norms_and_suggests_one_whose_return_held()
    {
        var (code, output) = CliRunner.Run("recommend", "--task", "rl", "--epochs", "6", "--out", Out("recommend"));

        Assert.Equal(ExitCodes.Success, code);
        string flat = Flat(output);
        Assert.Contains("Probe: 30 steps (all of the run's 6 epochs) clipped at each of max_norm 1, 5, 10", flat);
        Assert.Contains("The rule of thumb for a small feed-forward network is 5–10", flat);
        var advice = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("recommend"), "recommendation.json"))).RootElement;
        var probes = advice.GetProperty("probes").EnumerateArray().ToList();
        Assert.Equal([1.0, 5.0, 10.0], probes.Select(p => p.GetProperty("max_norm").GetDouble()));
        // The suggestion is a probe the health check found healthy, and none healthy held a higher return over its second half.
        var chosen = probes.Single(p => p.GetProperty("max_norm").GetDouble() == advice.GetProperty("suggested_max_norm").GetDouble());
        Assert.True(chosen.GetProperty("healthy").GetBoolean());
        Assert.DoesNotContain(probes, p => p.GetProperty("healthy").GetBoolean()
            && p.GetProperty("late_return").GetDouble() > chosen.GetProperty("late_return").GetDouble());
    }

    [Theory]
    [InlineData("--batch-size", "8")]
    [InlineData("--val-split", "0.1")]
    [InlineData("--patience", "2")]
    public void Options_about_data_rows_are_refused(string option, string value)
    {
        var (code, output) = CliRunner.Run("train", "--task", "rl", option, value, "--out", Out("bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--task rl: plays an environment, an epoch being 20 episodes, so {option}", Flat(output));
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Theory]
    [InlineData("--monitor", "val_loss", "--monitor: --task rl keeps the epoch with the best mean_return; val_loss is not one of its figures.")]
    [InlineData("--ranks", "2", "--task rl: plays its episodes in one process; data-parallel training (--ranks, --distributed) shares batches of data rows.")]
    public void Options_that_do_not_fit_an_agent_are_refused(string option, string value, string message)
    {
        var (code, output) = CliRunner.Run("train", "--task", "rl", option, value, "--out", Out("bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, Flat(output));
        Assert.False(Directory.Exists(Out("bad")));
    }
}
