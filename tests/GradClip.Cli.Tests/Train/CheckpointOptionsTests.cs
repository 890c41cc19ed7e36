using GradClip.Cli.Train;
using GradClip.Data;

namespace GradClip.Cli.Tests.Train;

public sealed class CheckpointOptionsTests
{
    private static readonly TrainOptions Options = new(
        "data.csv", null, null, [64, 32], 20, 32, 0.003, OptimizerKind.AdamW, ClipMode.Norm, 1, double.PositiveInfinity, 0.5, 10, 2.5,
        0.01, GradClip.Training.NonFiniteAction.Stop, 0.2, -5, "out", Standardize: false, CheckpointEvery: 3, ResumeFolder: "old");

    [Fact]
    public void Records_each_option_as_typed_with_the_data_file_by_its_full_path()
    {
        var recorded = CheckpointOptions.Describe(Options);

        Assert.Equal(Path.GetFullPath("data.csv"), recorded["data"]);
        Assert.Equal(("64,32", "adamw", "inf", "stop", "-5", "true", "3"),
            (recorded["hidden"], recorded["optimizer"], recorded["norm-type"], recorded["nonfinite"], recorded["seed"], recorded["no-standardize"], recorded["checkpoint-every"]));
    }

    [Fact]
    public void Leaves_out_unset_options_and_the_output_and_resume_folders()
    {
        var recorded = CheckpointOptions.Describe(Options with { CheckpointEvery = null });

        Assert.DoesNotContain("target", recorded.Keys);
        Assert.DoesNotContain("task", recorded.Keys);
        Assert.DoesNotContain("checkpoint-every", recorded.Keys);
        Assert.DoesNotContain("out", recorded.Keys);
        Assert.DoesNotContain("resume", recorded.Keys);
    }

    [Fact]
    public void Records_the_csv_options_that_differ_from_the_defaults_and_none_for_a_default_file()
    {
        var csv = new CsvOptions { Delimiter = ';', IgnoreColumns = ["id", "note"], Missing = MissingValues.Mean };

        var recorded = CheckpointOptions.Describe(Options with { Csv = csv });
        var plain = CheckpointOptions.Describe(Options with { Csv = CsvOptions.Default });

        Assert.Equal(("semicolon", "id,note", "mean"), (recorded["delimiter"], recorded["ignore-columns"], recorded["missing"]));
        Assert.DoesNotContain("decimal", recorded.Keys);
        Assert.Empty(plain.Keys.Intersect(["delimiter", "decimal", "header", "no-header", "encoding", "ignore-columns", "missing"]));
    }

    [Fact]
    public void Gives_back_a_command_line_of_name_value_pairs()
    {
        var arguments = CheckpointOptions.Arguments(new Dictionary<string, string> { ["seed"] = "-5", ["no-standardize"] = "true" });

        Assert.Equal(["--seed", "-5", "--no-standardize", "true"], arguments);
    }
}
