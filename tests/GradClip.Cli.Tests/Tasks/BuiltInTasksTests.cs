using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Training;

namespace GradClip.Cli.Tests.Tasks;

public sealed class BuiltInTasksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-tasks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Out(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Train_on_rnn_long_trains_a_recurrent_model_that_predict_can_load()
    {
        var (code, output) = CliRunner.Run("train", "--task", "rnn-long", "--epochs", "2", "--no-plots", "--out", Out("rnn"));
        var (predictCode, prediction) = CliRunner.Run("predict", "--model", Out("rnn"), "--row", string.Join(",", Enumerable.Repeat("0.1", BuiltInTasks.SequenceSteps)));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("rnn 50x1-32-1; sgd lr 0.02", output);
        Assert.Contains("built-in decaying sum", output);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("rnn"), SavedModel.DescriptionFile))).RootElement;
        Assert.Equal("gradclip-sequence", model.GetProperty("format").GetString());
        Assert.Equal("rnn-long", model.GetProperty("options").GetProperty("task").GetString());
        Assert.Equal(ExitCodes.Success, predictCode);
        Assert.Contains("│   1 │", prediction);
    }

    [Fact]
    public void A_task_takes_its_own_settings_and_the_command_line_overrides_them()
    {
        var (code, output) = CliRunner.Run("train", "--task", "deep-mlp", "--epochs", "1", "--lr", "0.05", "--no-plots", "--out", Out("deep"));

        var (cnnCode, cnnOutput) = CliRunner.Run("train", "--task", "cnn", "--hidden", "2,2,2", "--epochs", "1", "--batch-size", "64", "--no-plots", "--out", Out("cnn-batch"));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("10-64-64-64-64-64-64-64-64-3 with ReLU; sgd lr 0.05, batch 32, 1 epochs", output);
        // The cnn task brings a batch of 16, which --batch-size overrides.
        Assert.Equal(ExitCodes.Success, cnnCode);
        Assert.Contains("batch 64", cnnOutput);
    }

    [Theory]
    [InlineData("--data", "x.csv", "--data cannot go with it")]
    [InlineData("--target", "y", "--target cannot go with it")]
    public void A_built_in_task_refuses_a_data_file_or_target(string option, string value, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, "x.csv"), "a,y\n1,2\n3,4\n");
        string argument = option == "--data" ? Path.Combine(_folder, value) : value;

        var (code, output) = CliRunner.Run("train", "--task", "rnn-long", option, argument, "--out", Out("bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--task rnn-long: a built-in task brings its own data, so {problem}", output);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void A_data_kind_without_a_data_file_is_refused()
    {
        var (code, output) = CliRunner.Run("train", "--task", "regression", "--out", Out("bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--task regression: needs --data; built-in tasks: blobs, rnn-long, deep-mlp, transformer, cnn, rl.", output);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void The_recurrent_task_takes_one_hidden_size()
    {
        var (code, output) = CliRunner.Run("train", "--task", "rnn-long", "--hidden", "32,16", "--out", Out("bad"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--hidden: rnn-long's recurrent network has one hidden size, but 2 widths were given (32,16).", output);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void Recommend_probes_a_task_with_its_recurrent_model_and_the_recurrent_rule_of_thumb()
    {
        var (code, output) = CliRunner.Run("recommend", "--task", "rnn-long", "--steps", "30", "--out", Out("advice"));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("rnn 50x1-32-1 (a recurrent network)", output);
        var advice = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("advice"), "recommendation.json"))).RootElement;
        Assert.Equal("RecurrentNetwork", advice.GetProperty("model_kind").GetString());
        Assert.Equal([0.25, 1.0], advice.GetProperty("rule_of_thumb").EnumerateArray().Select(e => e.GetDouble()));
        // The probe runs without clipping, so it sees the first steps' explosion.
        Assert.True(advice.GetProperty("max").GetDouble() > 100 * advice.GetProperty("p50").GetDouble());
    }

    [Fact]
    public void A_resumed_task_run_records_the_task_in_its_checkpoint()
    {
        CliRunner.Run("train", "--task", "rnn-long", "--epochs", "1", "--checkpoint-every", "1", "--no-plots", "--out", Out("first"));

        var (code, output) = CliRunner.Run("train", "--resume", Out("first"), "--epochs", "2", "--no-plots");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("rnn 50x1-32-1", output);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Out("first"), "metrics.jsonl")).Length);
    }

    [Fact]
    public void The_transformer_task_trains_a_language_model_that_continues_a_prompt()
    {
        var (code, output) = CliRunner.Run("train", "--task", "transformer", "--hidden", "16", "--epochs", "1", "--no-plots", "--out", Out("lm"));
        // The folder holds sample.json beside the run's other files: --overwrite must know it as the run's own.
        var (again, againOutput) = CliRunner.Run("train", "--task", "transformer", "--hidden", "16", "--epochs", "1", "--no-plots", "--out", Out("lm"), "--overwrite");
        var (predictCode, text) = CliRunner.Run("predict", "--model", Out("lm"), "--prompt", "First Citizen:\\n", "--length", "40");
        var (badCode, bad) = CliRunner.Run("predict", "--model", Out("lm"), "--prompt", "First @", "--length", "40");
        var (rowCode, row) = CliRunner.Run("predict", "--model", Out("lm"), "--row", "1,2");

        Assert.Equal(ExitCodes.Success, code);
        Assert.True(again == ExitCodes.Success, againOutput);
        Assert.Contains("post-LN transformer 1x16 (4 heads), context 32, vocabulary 58", output);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("lm"), SavedModel.DescriptionFile))).RootElement;
        Assert.Equal("gradclip-transformer", model.GetProperty("format").GetString());
        var epoch = JsonDocument.Parse(File.ReadLines(Path.Combine(Out("lm"), "metrics.jsonl")).Last()).RootElement;
        Assert.Equal(Math.Exp(epoch.GetProperty("val_loss").GetDouble()), epoch.GetProperty("val_perplexity").GetDouble(), 1e-6);
        var sample = TextSample.Read(Out("lm"))!;
        Assert.Contains($"the unigram baseline {NumberText.Short(sample.UnigramPerplexity)}", output);
        Assert.Equal(TextSample.Length, sample.Text.Length);
        Assert.True(sample.ValidationPerplexity < sample.UnigramPerplexity, $"{sample.ValidationPerplexity} against {sample.UnigramPerplexity}");
        Assert.Equal(ExitCodes.Success, predictCode);
        Assert.StartsWith("First Citizen:\n", text);
        Assert.True(text.Length >= "First Citizen:\n".Length + 40, text);
        Assert.Equal(ExitCodes.BadInput, badCode);
        Assert.Contains("--prompt: character 7 ('@') is not in the model's vocabulary of 58 characters.", bad);
        Assert.Equal(ExitCodes.BadInput, rowCode);
        Assert.Contains("give --prompt TEXT to continue, not rows", row);
    }

    [Fact]
    public void A_resumed_language_model_run_ends_byte_identical_to_an_uninterrupted_one()
    {
        string[] setup = ["--task", "transformer", "--hidden", "8", "--checkpoint-every", "1", "--no-plots"];
        CliRunner.Run(["train", .. setup, "--epochs", "2", "--out", Out("whole")]);
        CliRunner.Run(["train", .. setup, "--epochs", "1", "--out", Out("part")]);

        var (code, _) = CliRunner.Run("train", "--resume", Out("part"), "--epochs", "2", "--no-plots");

        Assert.Equal(ExitCodes.Success, code);
        foreach (string file in new[] { "metrics.jsonl", "steps.jsonl", SavedModel.WeightsFile, TextSample.FileName })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out("whole"), file)), File.ReadAllBytes(Path.Combine(Out("part"), file)));
        }
    }

    [Fact]
    public void The_cnn_task_trains_a_convolutional_network_that_predict_can_load()
    {
        var (code, output) = CliRunner.Run("train", "--task", "cnn", "--hidden", "2,2,2", "--epochs", "1", "--no-plots", "--out", Out("cnn"));
        var (predictCode, prediction) = CliRunner.Run("predict", "--model", Out("cnn"), "--row", string.Join(",", Enumerable.Repeat("0.1", 256)));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("cnn 16x16, 3 stages of 2 conv3x3 (2-2-2 channels), 4 outputs", output);
        Assert.Contains("batch 16", output);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("cnn"), SavedModel.DescriptionFile))).RootElement;
        Assert.Equal("gradclip-cnn", model.GetProperty("format").GetString());
        Assert.Equal(ExitCodes.Success, predictCode);
        Assert.Contains("horizontal bar", prediction);
        var (promptCode, prompt) = CliRunner.Run("predict", "--model", Out("cnn"), "--prompt", "First");
        Assert.Equal(ExitCodes.BadInput, promptCode);
        Assert.Contains("--prompt: needs a language model (gradclip train --task transformer)", prompt);
    }

    [Theory]
    [InlineData("transformer", "16", "Transformer", 0.5, 2.0)]
    [InlineData("cnn", "2,2,2", "DeepCnn", 1.0, 5.0)]
    public void Recommend_gives_each_task_the_rule_of_thumb_of_its_model_kind(string task, string hidden, string kind, double low, double high)
    {
        var (code, _) = CliRunner.Run("recommend", "--task", task, "--hidden", hidden, "--steps", "10", "--out", Out("advice-" + task));

        Assert.Equal(ExitCodes.Success, code);
        var advice = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("advice-" + task), "recommendation.json"))).RootElement;
        Assert.Equal(kind, advice.GetProperty("model_kind").GetString());
        Assert.Equal([low, high], advice.GetProperty("rule_of_thumb").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void On_the_transformer_task_a_gradient_spike_leaves_the_unclipped_run_at_the_unigram_plateau_while_max_norm_1_trains()
    {
        // The task's own model, optimizer and learning rate, one epoch of the four.
        var (code, output) = CliRunner.Run("compare", "--task", "transformer", "--epochs", "1", "--strategies", "none,norm:1", "--no-plots", "--out", Out("lm-compare"));

        Assert.True(code == ExitCodes.Success, output);
        double unigram = TextSample.Read(Path.Combine(Out("lm-compare"), "none"))!.UnigramPerplexity;
        var none = LastEpoch("lm-compare", "none");
        var clipped = LastEpoch("lm-compare", "norm-1");
        Assert.True(none.GetProperty("grad_norm_before_max").GetDouble() > 10, "no gradient spike");
        Assert.True(none.GetProperty("val_perplexity").GetDouble() > 0.9 * unigram, $"unclipped {none.GetProperty("val_perplexity")}, unigram {unigram}");
        Assert.True(clipped.GetProperty("val_perplexity").GetDouble() < 0.6 * unigram, $"clipped {clipped.GetProperty("val_perplexity")}, unigram {unigram}");
        // The verdicts say so: train's and diagnose's alike.
        var verdict = Verdict("lm-compare", "none");
        Assert.Equal("error", verdict.GetProperty("severity").GetString());
        Assert.Equal("The model predicts no better than the unigram baseline (each token predicted by its frequency alone).", verdict.GetProperty("summary").GetString());
        Assert.Contains("turn on clipping by norm", verdict.GetProperty("suggestion").GetString());
        Assert.NotEqual("error", Verdict("lm-compare", "norm-1").GetProperty("severity").GetString());
        var (_, diagnosed) = CliRunner.Run("diagnose", Path.Combine(Out("lm-compare"), "none"));
        Assert.Contains("Verdict (error): The model predicts no better than the unigram baseline", diagnosed);
    }

    private JsonElement Verdict(string compareFolder, string strategyFolder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Out(compareFolder), strategyFolder, "summary.json"))).RootElement.GetProperty("verdicts")[0];

    [Fact]
    public void A_language_model_whose_perplexity_overflowed_still_writes_its_sample_and_report()
    {
        var (code, output) = CliRunner.Run("train", "--task", "transformer", "--hidden", "8", "--epochs", "1", "--clip", "none", "--lr", "1000", "--no-plots", "--out", Out("lm-inf"));

        Assert.True(code == ExitCodes.Success, output);
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("lm-inf"), "sample.json"))).RootElement;
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("val_perplexity").ValueKind);
        Assert.Contains("no epoch with a finite validation perplexity was kept", output);
        Assert.True(File.Exists(Path.Combine(Out("lm-inf"), "report.html")));
    }

    [Fact]
    public void On_the_cnn_task_the_unclipped_run_falls_back_to_chance_while_max_norm_1_learns()
    {
        // The task's own model, optimizer, learning rate and batch size, two epochs of the six, on a seed where the
        // unclipped run's second epoch ends at chance.
        var (code, output) = CliRunner.Run("compare", "--task", "cnn", "--epochs", "2", "--seed", "2", "--strategies", "none,norm:1", "--no-plots", "--out", Out("cnn-compare"));

        Assert.True(code == ExitCodes.Success, output);
        double none = LastEpoch("cnn-compare", "none").GetProperty("val_accuracy").GetDouble();
        double clipped = LastEpoch("cnn-compare", "norm-1").GetProperty("val_accuracy").GetDouble();
        Assert.True(none < 0.3, $"unclipped {none}");
        Assert.True(clipped > none + 0.1, $"clipped {clipped}, unclipped {none}");
    }

    private JsonElement LastEpoch(string compareFolder, string strategyFolder) =>
        JsonDocument.Parse(File.ReadLines(Path.Combine(Out(compareFolder), strategyFolder, "metrics.jsonl")).Last()).RootElement;
}
