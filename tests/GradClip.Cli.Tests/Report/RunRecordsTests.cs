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

        Assert.Equal(new EpochRow(1, null, null, null, null, null, null, null, 1), run.Epochs.Single());
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

    private void Write(string epochs, string steps)
    {
        File.WriteAllText(Path.Combine(_folder, "metrics.jsonl"), epochs);
        File.WriteAllText(Path.Combine(_folder, "steps.jsonl"), steps);
        File.WriteAllText(Path.Combine(_folder, "summary.json"), Summary);
    }
}
