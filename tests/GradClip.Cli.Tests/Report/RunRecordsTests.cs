using GradClip.Cli.Common;
using GradClip.Cli.Report;

namespace GradClip.Cli.Tests.Report;

public sealed class RunRecordsTests(TrainedRun trained) : IClassFixture<TrainedRun>, IDisposable
{
    private const string Summary = """
        {"data":"a <b>.csv","rows":10,"task":"regression","model":"2-4-1","epochs_run":2,"steps":2,"best_epoch":1,"final":null,"best":null,
        "stop_reason":"loss went non-finite","verdicts":[{"kind":"Exploding","summary":"s","evidence":"e","suggestion":"g","first_step":2}],
        "options":{"clip":"norm","max_norm":"0.5"},"seconds":0.25}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-records-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reads_back_every_epoch_and_step_that_train_wrote()
    {
        var run = RunRecords.Read(trained.Folder);

        Assert.Equal(run.Summary.EpochsRun, run.Epochs.Count);
        Assert.Equal(run.Summary.Steps, run.Steps.Count);
        Assert.Equal([1, 2, 3], run.Epochs.Select(e => e.Epoch));
        Assert.Equal(Enumerable.Range(1, run.Steps.Count), run.Steps.Select(s => s.Step));
        Assert.All(run.Steps, s => Assert.Equal(6, s.ParameterNorms.Count));
        Assert.Equal("norm", run.Summary.Option("clip"));
        Assert.Equal(1.0, run.Summary.MaxNormLine);
        Assert.Null(run.Summary.StopReason);
    }

    [Fact]
    public void Null_figures_are_read_as_null()
    {
        Write(
            """{"epoch":1,"train_loss":null,"val_loss":null,"val_accuracy":null,"grad_norm_before_mean":null,"grad_norm_before_max":null,"grad_norm_after_mean":null,"clip_rate":null,"skipped_steps":1}""",
            """{"epoch":1,"step":1,"loss":null,"grad_norm_before":null,"grad_norm_after":null,"coefficient":null,"clipped":false,"skipped":true,"lr":0.1,"param_norms":{"w":null,"b":2.5},"nonfinite":["w"]}""");

        var run = RunRecords.Read(_folder);

        var epoch = run.Epochs.Single();
        Assert.Equal(new EpochRow(1, null, null, epoch.Metrics, null, null, null, null, 1), epoch);
        Assert.Equal([KeyValuePair.Create("val_accuracy", (double?)null)], epoch.Metrics);
        var step = run.Steps.Single();
        Assert.Null(step.NormBefore);
        Assert.True(step.Skipped);
        Assert.Equal([KeyValuePair.Create("w", (double?)null), KeyValuePair.Create("b", (double?)2.5)], step.ParameterNorms);
        Assert.Equal("loss went non-finite", run.Summary.StopReason);
        Assert.Equal(new Verdict("Exploding", "s", "e", "g", 2), run.Summary.Verdicts.Single());
        Assert.Equal(0.5, run.Summary.MaxNormLine);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_later_lines_keep_their_numbers()
    {
        Write("""{"epoch":1,"train_loss":1,"val_loss":1,"val_accuracy":null,"grad_norm_before_mean":1,"grad_norm_before_max":1,"grad_norm_after_mean":1,"clip_rate":0,"skipped_steps":0}""" + "\n\n{\"epoch\":\"two\"}", "");

        var problem = Assert.Throws<UsageException>(() => RunRecords.Read(_folder)).Problems.Single();

        Assert.Equal($"{Path.Combine(_folder, "metrics.jsonl")}, line 3: 'epoch' should be a whole number, but is a string.", problem);
    }

    [Theory]
    [InlineData("""{"epoch":1,"step":1}""", "the key 'loss' is missing.")]
    [InlineData("""[1,2]""", "expected a JSON object, found an array.")]
    [InlineData("""{"epoch":1,"step":1,"loss":1,"grad_norm_before":1,"grad_norm_after":1,"clipped":"yes","skipped":false,"param_norms":{}}""", "'clipped' should be true or false, but is a string.")]
    [InlineData("""{"epoch":1,"step":1,"loss":1,"grad_norm_before":1,"grad_norm_after":1,"clipped":true,"skipped":false,"param_norms":{"w":"big"}}""", "'param_norms' entry 'w' should be a number or null, but is \"big\".")]
    public void A_malformed_step_names_the_file_the_line_and_the_problem(string line, string problem)
    {
        Write("", "\n" + line);

        var ex = Assert.Throws<UsageException>(() => RunRecords.Read(_folder));

        Assert.Equal($"{Path.Combine(_folder, "steps.jsonl")}, line 2: {problem}", ex.Problems.Single());
    }

    [Fact]
    public void A_missing_summary_names_the_file()
    {
        Write("", "");
        File.Delete(Path.Combine(_folder, "summary.json"));

        var ex = Assert.Throws<UsageException>(() => RunRecords.Read(_folder));

        Assert.Equal($"{Path.Combine(_folder, "summary.json")}: cannot read the run's file: the file is missing.", ex.Problems.Single());
    }

    [Fact]
    public void No_max_norm_line_is_drawn_unless_clipping_by_norm()
    {
        var summary = new RunSummary("d", 1, "classification", "m", 1, 1, 1, null, [], [KeyValuePair.Create("clip", "value"), KeyValuePair.Create("max_norm", "1")], 0);

        Assert.Null(summary.MaxNormLine);
        Assert.Null(summary.Option("percentile"));
    }

    [Theory]
    [InlineData("steps.jsonl", "steps.jsonl, line 2")]
    [InlineData("summary.json", "summary.json")]
    public void A_lone_surrogate_escape_is_a_format_error_naming_the_file_and_line(string file, string where)
    {
        string epoch = """{"epoch":1,"train_loss":null,"val_loss":null,"val_accuracy":null,"grad_norm_before_mean":null,"grad_norm_before_max":null,"grad_norm_after_mean":null,"clip_rate":null,"skipped_steps":1}""";
        string step = """{"epoch":1,"step":1,"loss":null,"grad_norm_before":null,"grad_norm_after":null,"coefficient":null,"clipped":false,"skipped":true,"lr":0.1,"param_norms":{"w":null},"nonfinite":["w"]}""";
        Write(epoch + "\n" + epoch, step + "\n" + step);
        // An escaped lone surrogate is valid JSON but not text: as a parameter's name in the steps, as the data's name in the summary.
        string path = Path.Combine(_folder, file);
        File.WriteAllText(path, file == "summary.json"
            ? Summary.Replace("\"a <b>.csv\"", "\"\\ud800\"")
            : step + "\n" + step.Replace("\"w\":null", "\"\\ud800\":null"));

        var error = Assert.Throws<UsageException>(() => RunRecords.Read(_folder));

        Assert.Contains($"{Path.Combine(_folder, where)}: ", error.Message);
        Assert.Contains("not valid Unicode text", error.Message);
    }

    [Fact]
    public void A_run_a_live_process_is_writing_is_read_up_to_its_last_checkpoint_and_marked_in_progress()
    {
        string run = Path.Combine(_folder, "live");
        CliRunner.Run("train", "--epochs", "2", "--checkpoint-every", "1", "--out", run);
        using var writer = GradClip.Serialization.RunFolderLock.Acquire(run);
        // A resumed run appends past its checkpoint; the report must not show those records, nor the earlier summary's verdicts.
        File.AppendAllText(Path.Combine(run, "metrics.jsonl"), "{\"epoch\": 3, \"not\": \"covered\"}\n");
        File.WriteAllText(Path.Combine(run, "summary.json"), "not read while the run is in progress");

        var records = RunRecords.Read(run);
        var (code, output) = CliRunner.Run("report", "--no-plots", run);

        Assert.Equal(Environment.ProcessId, records.WriterProcess);
        Assert.Equal([1, 2], records.Epochs.Select(e => e.Epoch));
        Assert.Empty(records.Summary.Verdicts);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"is in progress (process {Environment.ProcessId})", output);
        Assert.Contains("<strong>In progress:</strong>", File.ReadAllText(Path.Combine(run, "report.html")));
    }

    private void Write(string epochs, string steps)
    {
        File.WriteAllText(Path.Combine(_folder, "metrics.jsonl"), epochs);
        File.WriteAllText(Path.Combine(_folder, "steps.jsonl"), steps);
        File.WriteAllText(Path.Combine(_folder, "summary.json"), Summary);
    }
}
