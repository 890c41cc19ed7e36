using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Tests.Data;

namespace GradClip.Tests.Logs;

public sealed class HuggingFaceLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string State(string history, string extra = "\"global_step\": 40, \"logging_steps\": 10, \"max_steps\": 40") =>
        $$"""{"epoch": 1.0, {{extra}}, "log_history": [{{history}}]}""";

    [Fact]
    public void Reads_a_real_trainer_state_with_grad_norm_every_logging_interval_and_evaluations()
    {
        var reading = LogReader.Read(LogFiles.Fixture("hf-tinyllama-trimmed.json"));
        var trace = reading.Trace;

        Assert.Equal(LogFormat.HuggingFaceTrainer, reading.Format);
        Assert.Equal(56, trace.Count);
        Assert.Equal(15, trace.Steps[0]);
        Assert.Equal(840, trace.Steps[^1]);
        Assert.Equal(2.0762, trace.Loss[0]);
        Assert.Equal(1.0048305988311768, trace.NormBefore[0]);
        Assert.Equal(2.456140350877193e-06, trace.LearningRate[0]);
        Assert.Equal(0.010690423162583519, trace.Epoch[0]);
        Assert.Equal(2800, trace.TotalSteps);
        Assert.Equal(4, trace.Epochs.Count);
        Assert.Equal(1.622266411781311, trace.Epochs[0].ValLoss);
        Assert.Equal(200, trace.Epochs[0].Step);
        Assert.Equal(0.6570661319259475, trace.Epochs[0].Metrics["eval_mean_token_accuracy"]);
        Assert.False(trace.Epochs[0].Metrics.ContainsKey("eval_runtime"));
        Assert.Equal(ClippingKind.Norm, trace.Setup.Clipping);
        Assert.Equal(1.0, trace.Setup.MaxNorm);
        Assert.True(trace.Setup.MaxNormAssumed);
        Assert.Contains(reading.Notes, n => n.Contains("default, 1, is assumed", StringComparison.Ordinal));
        Assert.Contains(reading.Notes, n => n.Contains("every 15 steps", StringComparison.Ordinal));
    }

    [Fact]
    public void A_log_without_grad_norm_is_read_for_its_loss_and_says_what_is_missing()
    {
        var reading = LogReader.Read(LogFiles.Fixture("hf-whisper-no-grad-norm.json"));

        Assert.Equal(200, reading.Trace.Count);
        Assert.Equal(0, reading.Trace.NormBefore.LoggedCount);
        Assert.Null(reading.Trace.NormBefore[199]);
        Assert.Empty(reading.Trace.Clipped.Logged());
        Assert.Equal(200, reading.Trace.Loss.LoggedCount);
        Assert.Equal(5000, reading.Trace.TotalSteps);
        Assert.Equal(0.30747494101524353, reading.Trace.Epochs[0].ValLoss);
        Assert.Equal(34.63133835604842, reading.Trace.Epochs[0].Metrics["eval_wer"]);
        Assert.Contains(reading.Notes, n => n.Contains("no grad_norm", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_evaluation_sets_at_one_step_make_one_record_with_each_set_s_figures()
    {
        var reading = LogReader.Read(LogFiles.Fixture("hf-multi-eval-trimmed.json"));

        Assert.Equal(5, reading.Trace.Count);
        var first = reading.Trace.Epochs[0];
        Assert.Equal(0, first.Step);
        Assert.Equal(5.741583347320557, first.ValLoss);
        Assert.Equal(8.220163345336914, first.Metrics["eval_g1_loss"]);
        Assert.Equal(0.7082294264339152, first.Metrics["eval_g0_accuracy"]);
    }

    [Fact]
    public void Bare_NaN_and_Infinity_written_by_Python_are_values()
    {
        string path = _folder.Write("trainer_state.json", State(
            """{"step": 10, "epoch": 0.25, "loss": 2.5, "grad_norm": 1.5, "learning_rate": 1e-4}, {"step": 20, "epoch": 0.5, "loss": NaN, "grad_norm": Infinity, "learning_rate": 1e-4}, {"step": 30, "epoch": 0.75, "loss": 9.0, "grad_norm": -Infinity}"""));

        var trace = LogReader.Read(path).Trace;

        Assert.Equal([10, 20, 30], trace.Steps.ToArray());
        Assert.True(double.IsNaN(trace.Loss[1]!.Value));
        Assert.Equal(double.PositiveInfinity, trace.NormBefore[1]);
        Assert.Equal(double.NegativeInfinity, trace.NormBefore[2]);
        Assert.Null(trace.LearningRate[2]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Reads_the_same_trace_whatever_the_chunks_cut_through(int chunkBytes)
    {
        string path = _folder.Write("trainer_state.json", State(
            """{"step": 10, "epoch": 0.25, "loss": 2.5, "grad_norm": NaN, "learning_rate": 1e-4}, {"step": 20, "loss": -Infinity, "grad_norm": Infinity, "note": "a \" NaN"}, {"step": 20, "eval_loss": 1.5}""",
            "\"stateful_callbacks\": {\"a\": [1, 2, {\"b\": NaN}]}, \"global_step\": 40"));

        var whole = LogReader.Read(path).Trace;
        var chunked = HuggingFaceLog.Read(path, new LogOptions(), chunkBytes).Trace;

        Assert.Equal(whole.Steps.ToArray(), chunked.Steps.ToArray());
        Assert.Equal(whole.Loss.Values.ToArray(), chunked.Loss.Values.ToArray());
        Assert.Equal(whole.NormBefore.Values.ToArray(), chunked.NormBefore.Values.ToArray());
        Assert.Equal(double.NegativeInfinity, chunked.Loss[1]);
        Assert.True(double.IsNaN(chunked.NormBefore[0]!.Value));
        Assert.Equal(1.5, Assert.Single(chunked.Epochs).ValLoss);
        Assert.Equal(40, chunked.TotalSteps);
    }

    [Fact]
    public void A_given_max_norm_replaces_the_default_and_zero_means_no_clipping()
    {
        string path = _folder.Write("trainer_state.json", State("""{"step": 10, "loss": 2.5, "grad_norm": 1.5}"""));

        var given = LogReader.Read(path, new LogOptions(MaxNorm: 0.5)).Trace.Setup;
        var none = LogReader.Read(path, new LogOptions(MaxNorm: 0)).Trace.Setup;

        Assert.Equal((ClippingKind.Norm, 0.5, false), (given.Clipping, given.MaxNorm, given.MaxNormAssumed));
        Assert.Equal(ClippingKind.None, none.Clipping);
        Assert.Null(none.MaxNorm);
    }

    [Fact]
    public void A_truncated_file_is_refused_naming_the_byte_where_it_ends()
    {
        string whole = State("""{"step": 10, "loss": 2.5, "grad_norm": 1.5}, {"step": 20, "loss": 2.0, "grad_norm": 1.2}""");
        string cut = whole[..(whole.Length - 30)];
        string path = _folder.Write("trainer_state.json", cut);

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains($"byte {cut.Length}", error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void Malformed_JSON_names_the_byte_offset_of_the_fault()
    {
        string text = State("""{"step": 10, "loss": 2.5, "grad_norm": 1.5}, {"step": 20, "loss": oops}""");
        string path = _folder.Write("trainer_state.json", text);

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Equal(text.IndexOf("oops", StringComparison.Ordinal), error.ByteOffset);
        Assert.DoesNotContain("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_figure_that_is_not_a_number_is_named_with_its_key()
    {
        string path = _folder.Write("trainer_state.json", State("""{"step": 10, "loss": "high", "grad_norm": 1.5}"""));

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Contains("\"loss\" should be a number, but is 'high'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_that_go_back_are_refused_as_two_runs_in_one_file()
    {
        string path = _folder.Write("trainer_state.json", State("""{"step": 20, "loss": 2.5}, {"step": 10, "loss": 2.0}"""));

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Contains("step 10 comes after step 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_holding_trainer_state_json_is_read_as_the_Trainer_s_log()
    {
        _folder.Write("trainer_state.json", State("""{"step": 10, "loss": 2.5, "grad_norm": 1.5}"""));

        var reading = LogReader.Read(_folder.Path);

        Assert.Equal(LogFormat.HuggingFaceTrainer, reading.Format);
        Assert.Equal(Path.Combine(_folder.Path, "trainer_state.json"), reading.File);
    }
}
