using System.CommandLine;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
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
        var setup = new SetupOptions();
        var strategies = new Option<string>("--strategies")
        {
            Description = $"Comma-separated clipping strategies, each one of: {ClipStrategy.Forms}.",
            DefaultValueFactory = _ => DefaultStrategies,
        };
        var output = new Option<string?>("--out") { Description = "Folder for comparison.json, report.html and one run folder per strategy (default: runs/<timestamp>-compare)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the earlier comparison in --out whole (only GradClip's own files, not in use by a live run)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write no plot images: the reports then hold their tables and verdicts only." };
        var command = new Command("compare", "Train one model under several clipping strategies from the same initialization, and compare them in one table and report.");
        setup.AddTo(command);
        command.Options.Add(strategies);
        command.Options.Add(output);
        command.Options.Add(overwrite);
        command.Options.Add(noPlots);
        command.SetAction(result =>
        {
            var list = ClipStrategy.ParseList(result.GetValue(strategies)!);
            // The run train would do with the same options, clipping left to each strategy.
            var problems = new List<string>();
            var options = setup.Read(result, result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-compare"), problems) with { Plots = !result.GetValue(noPlots), Overwrite = result.GetValue(overwrite) };
            problems.AddRange(setup.Conflicts(result, options));
            // The disk once; each strategy's numbers on their own (the options they share are reported once).
            problems.AddRange(list.SelectMany(s => TrainOptionsCheck.RangeProblems(s.ApplyTo(options, options.OutputFolder)).Select(p => AsStrategyProblem(s, p)))
                .Distinct().Concat(TrainOptionsCheck.PathProblems(options)).Concat(RunFolder.Problems(options.OutputFolder, options.Overwrite)));
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
