using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Compare;

/// <summary>
/// <c>gradclip compare</c>: trains the same model from the same initialization under several clipping strategies and
/// shows, in one table and one report, which of them kept training stable.
/// </summary>
public static class CompareCommand
{
    /// <summary>The strategies compared when <c>--strategies</c> is not given.</summary>
    public const string DefaultStrategies = "none,norm:1,norm:5,value:0.5,autoclip,zclip,agc";

    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var task = new Option<string?>("--task")
        {
            Description = "The built-in task to train: " + string.Join("; ", BuiltInTasks.All.Select(t => $"{t.Name}: {t.Description}")) + ". Default: blobs.",
        };
        task.AcceptOnlyFromAmong([.. BuiltInTasks.All.Select(t => t.Name)]);
        var data = new Option<string?>("--data") { Description = "A CSV file with a header row to train on instead of a built-in task (a 64-32 ReLU network, Adam)." };
        var target = new Option<string?>("--target") { Description = "With --data: the target column's name (default: the last column)." };
        var strategies = new Option<string>("--strategies")
        {
            Description = $"Comma-separated clipping strategies, each one of: {ClipStrategy.Forms}.",
            DefaultValueFactory = _ => DefaultStrategies,
        };
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training rows (default: the task's)." };
        var learningRate = new Option<double?>("--lr") { Description = "Learning rate (default: the task's)." };
        var seed = new Option<int>("--seed") { Description = "Seeds the data, the split, the initialization and the batch order, the same for every strategy.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for comparison.json, report.html and one run folder per strategy (default: runs/<timestamp>-compare)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no plot images: the reports then hold their tables and verdicts only." };
        var command = new Command("compare", "Train one model under several clipping strategies from the same initialization, and compare them in one table and report.")
        {
            task, data, target, strategies, epochs, learningRate, seed, output, noPlots,
        };
        command.SetAction(result =>
        {
            var list = ClipStrategy.ParseList(result.GetValue(strategies)!);
            var builtIn = result.GetValue(task) is { } name ? BuiltInTasks.Find(name) : null;
            if (builtIn is not null && (result.GetValue(data) is not null || result.GetValue(target) is not null))
            {
                throw new UsageException("--task", $"the built-in task {builtIn.Name} brings its own data, so --data and --target cannot go with it.");
            }
            // The task's settings (train's defaults for a CSV file), clipping left to each strategy.
            var defaults = TrainOptions.ForTask(builtIn ?? BuiltInTasks.Blobs, result.GetValue(data), result.GetValue(target), result.GetValue(seed),
                result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-compare"));
            var options = defaults with
            {
                Epochs = result.GetValue(epochs) ?? defaults.Epochs,
                LearningRate = result.GetValue(learningRate) ?? defaults.LearningRate,
                Plots = !result.GetValue(noPlots),
            };
            // The disk once; each strategy's numbers on their own (the options they share are reported once).
            var problems = list.SelectMany(s => TrainOptionsCheck.RangeProblems(s.ApplyTo(options, options.OutputFolder)).Select(p => AsStrategyProblem(s, p)))
                .Distinct().Concat(TrainOptionsCheck.PathProblems(options)).ToList();
            return problems.Count > 0 ? throw new UsageException(problems) : CompareRun.Execute(options, list, console);
        });
        return command;
    }

    /// <summary>
    /// A problem with the option a strategy's number sets, said of the strategy (<c>compare</c> has no such option):
    /// <c>--percentile: must be …</c> becomes <c>--strategies: 'autoclip:150': the percentile must be …</c>.
    /// </summary>
    private static string AsStrategyProblem(ClipStrategy strategy, string problem) =>
        strategy.SettingOption is { } option && problem.StartsWith(option + ": ", StringComparison.Ordinal)
            ? $"--strategies: '{strategy.Text}': its {option[2..]} {problem[(option.Length + 2)..]}"
            : problem;

}
