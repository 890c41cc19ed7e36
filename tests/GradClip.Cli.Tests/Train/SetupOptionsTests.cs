using System.CommandLine;
using GradClip.Cli.Compare;
using GradClip.Cli.Recommend;
using GradClip.Cli.Tasks;
using GradClip.Cli.Train;
using GradClip.Data;
using Spectre.Console;

namespace GradClip.Cli.Tests.Train;

public sealed class SetupOptionsTests
{
    /// <summary>A value, other than its default, for each shared option (null for a flag); a new shared option needs one here.</summary>
    private static readonly Dictionary<string, string?> Samples = new()
    {
        ["--data"] = "rows.csv",
        ["--target"] = "y",
        ["--task"] = "regression",
        ["--hidden"] = "8,4",
        ["--epochs"] = "3",
        ["--batch-size"] = "16",
        ["--lr"] = "0.05",
        ["--optimizer"] = "sgd",
        ["--val-split"] = "0.3",
        ["--seed"] = "7",
        ["--no-standardize"] = null,
        ["--delimiter"] = "semicolon",
        ["--decimal"] = ",",
        ["--no-header"] = null,
        ["--header"] = null,
        ["--encoding"] = "windows-1252",
        ["--ignore-columns"] = "id,note",
        ["--missing"] = "mean",
    };

    private static readonly IAnsiConsole Quiet = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });

    public static TheoryData<string> Commands => ["train", "compare", "recommend"];

    private static Command Create(string name) => name switch
    {
        "train" => TrainCommand.Create(Quiet),
        "compare" => CompareCommand.Create(Quiet),
        _ => RecommendCommand.Create(Quiet),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_shared_option_is_accepted_with_its_value_by(string name)
    {
        var command = Create(name);

        foreach (var option in new SetupOptions().All)
        {
            Assert.True(Samples.TryGetValue(option.Name, out string? sample), $"no sample value for {option.Name}");
            string[] args = sample is null ? [option.Name] : [option.Name, sample];
            var parsed = command.Parse(args);
            Assert.Empty(parsed.Errors);
            var given = parsed.GetResult(command.Options.Single(o => o.Name == option.Name));
            Assert.NotNull(given);
            Assert.False(given.Implicit, $"{name} {option.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_refuses_a_task_that_is_neither_a_kind_nor_built_in(string name)
    {
        var parsed = Create(name).Parse(["--task", "ranking"]);

        Assert.Contains(parsed.Errors, e => e.Message.Contains("ranking", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_every_shared_option_into_the_run_with_clipping_off()
    {
        var (setup, parsed) = Parse("--data", "rows.csv", "--target", "y", "--task", "regression", "--hidden", "8,4", "--epochs", "3",
            "--batch-size", "16", "--lr", "0.05", "--optimizer", "sgd", "--val-split", "0.3", "--seed", "7", "--no-standardize");
        var problems = new List<string>();

        var options = setup.Read(parsed, "out", problems);

        Assert.Empty(problems);
        Assert.Equal(("rows.csv", "y", TaskKind.Regression), (options.DataPath, options.Target, options.Task));
        Assert.Equal([8, 4], options.Hidden);
        Assert.Equal((3, 16, 0.05, OptimizerKind.Sgd), (options.Epochs, options.BatchSize, options.LearningRate, options.Optimizer));
        Assert.Equal((0.3, 7, false, "out"), (options.ValidationFraction, options.Seed, options.Standardize, options.OutputFolder));
        Assert.Equal(ClipMode.None, options.Clip);
        Assert.Null(options.BuiltIn);
        Assert.Empty(setup.Conflicts(parsed, options));
    }

    [Fact]
    public void A_built_in_task_brings_its_settings_and_options_given_override_them()
    {
        var (setup, parsed) = Parse("--task", "rnn-long", "--lr", "0.5");

        var options = setup.Read(parsed, "out", []);

        var task = BuiltInTasks.RnnLong;
        Assert.Same(task, options.BuiltIn);
        Assert.Equal(task.Hidden, options.Hidden);
        Assert.Equal((task.Epochs, 0.5, task.Optimizer, task.Standardize), (options.Epochs, options.LearningRate, options.Optimizer, options.Standardize));
    }

    [Fact]
    public void Without_data_or_task_the_run_is_the_default_built_in_task()
    {
        var (setup, parsed) = Parse();

        Assert.Same(BuiltInTasks.Blobs, setup.Read(parsed, "out", []).BuiltIn);
    }

    [Theory]
    [InlineData(new[] { "--task", "classification" }, "--task classification: needs --data")]
    [InlineData(new[] { "--task", "deep-mlp", "--target", "y" }, "--task deep-mlp: a built-in task brings its own data, so --target cannot go with it")]
    public void Names_the_options_that_cannot_go_together(string[] args, string problem)
    {
        var (setup, parsed) = Parse(args);

        Assert.Contains(problem, Assert.Single(setup.Conflicts(parsed, setup.Read(parsed, "out", []))));
    }

    [Fact]
    public void A_bad_width_is_a_problem_naming_hidden()
    {
        var (setup, parsed) = Parse("--hidden", "8,0");
        var problems = new List<string>();

        setup.Read(parsed, "out", problems);

        Assert.Equal("--hidden: '0' in '8,0' is not a layer width between 1 and 65536.", Assert.Single(problems));
    }

    private static (SetupOptions Setup, ParseResult Parsed) Parse(params string[] args)
    {
        var setup = new SetupOptions();
        var command = new Command("probe");
        setup.AddTo(command);
        return (setup, command.Parse(args));
    }
}
