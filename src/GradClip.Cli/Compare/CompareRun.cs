using System.Diagnostics;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Metrics;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Compare;

/// <summary>One <c>gradclip compare</c> run: the data, split and initialization once, then a training run per strategy.</summary>
public static class CompareRun
{
    /// <summary>
    /// Trains under every strategy, prints the table, writes every run's files, <c>comparison.json</c> and the report; returns
    /// the exit code. Ctrl+C or SIGTERM stops it after the strategies already trained, which are still compared (exit 130).
    /// </summary>
    public static int Execute(TrainOptions options, IReadOnlyList<ClipStrategy> strategies, IAnsiConsole console)
    {
        using var stop = new StopSignals();
        var data = TrainRun.LoadData(options);
        var split = TrainRun.Split(data, options);
        (data, var imputer) = TrainRun.FillMissing(data, split);
        (Standardizer?, Standardizer?) standardizers = (TrainRun.Standardizer(options, data, split), TrainRun.TargetStandardizer(options, data, split));
        var spec = TrainRun.Model(options, data);
        TrainRun.RequireTrainableSize(spec);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        using var folderLock = TrainRun.LockOutputFolder(options.OutputFolder, console);
        RunFolder.Prepare(options.OutputFolder, options.Overwrite);
        string task = options.BuiltIn?.Name ?? data.Source;
        console.MarkupLine(Markup.Escape(
            $"Comparing {strategies.Count} strategies on {task}: {spec.Describe()}, {options.Optimizer.ToString().ToLowerInvariant()} lr {NumberText.Short(options.LearningRate)}, "
            + $"{options.Epochs} epochs, seed {options.Seed}; the same initialization and batches for each."));
        var outcomes = new List<ComparisonRow>();
        try
        {
            WarmUp(strategies[0].ApplyTo(options, options.OutputFolder), data, split, standardizers, spec, stop.Token);
            foreach (var strategy in strategies)
            {
                var run = strategy.ApplyTo(options, Path.Combine(options.OutputFolder, strategy.Folder));
                var outcome = Train(run, strategy, data, split, standardizers, imputer, spec, stop.Token);
                console.MarkupLine(Markup.Escape($"  {strategy.Text}: {outcome.Steps} steps, {NumberText.Short(outcome.MsPerStep)} ms per step{(outcome.Diverged ? ", diverged" : "")}"));
                outcomes.Add(outcome);
            }
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            console.MarkupLine(Markup.Escape($"Interrupted by {stop.Received} after {outcomes.Count} of {strategies.Count} strategies."));
            if (outcomes.Count == 0)
            {
                return ExitCodes.Interrupted;
            }
        }
        var metrics = spec.Objective.Metrics(data.Task);
        console.Write(ComparisonTable.Of(outcomes, metrics));
        ComparisonFile.Write(options.OutputFolder, task, spec.Describe(), options.Seed, options.Epochs, metrics, outcomes);
        console.MarkupLine(Markup.Escape($"Final figures are the last epoch's; each strategy's saved model holds its best {options.Monitor} epoch's weights."));
        console.MarkupLine(Markup.Escape(CompareWinner.Sentence(outcomes, metrics.Headline)));
        // Each strategy's report too, from the records read once for the comparison's.
        var files = CompareReport.WriteWithStrategies(options.OutputFolder, options.Plots, strategyReports: true)
            .Where(file => Path.GetDirectoryName(file) is "").ToList();
        console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(options.OutputFolder, RunReport.ReportFile))}[/]");
        console.MarkupLine(Markup.Escape($"Files in {options.OutputFolder}: {ComparisonRecords.ComparisonFile}, {string.Join(", ", files)}, and a run folder per strategy: {string.Join(", ", outcomes.Select(o => o.Folder))}"));
        return outcomes.Count == strategies.Count ? ExitCodes.Success : ExitCodes.Interrupted;
    }

    /// <summary>How long throwaway copies train before the timed runs: long enough for the runtime to finish compiling the hot code.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Trains throwaway copies under the first strategy, untimed and unrecorded, for <see cref="WarmUpTime"/> (at least one
    /// run): the runtime compiles hot code at full optimization only after it has run a while, and until then steps run
    /// several times slower, so the strategies trained first would pay for it.
    /// </summary>
    private static void WarmUp(TrainOptions run, TabularData data, DataSplit split, (Standardizer? Features, Standardizer? Target) standardizers, ModelSpec spec, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            var (network, generator) = TrainRun.Build(run, spec);
            TrainRun.Trainer(run, spec, network, generator, TrainRun.Clipping(run, spec), split).Fit(data, split, standardizers.Features, cancellation: stop, targetStandardizer: standardizers.Target);
        }
        while (clock.Elapsed < WarmUpTime);
    }

    /// <summary>Trains a fresh copy of the model (same seed, so the same initialization) under one strategy and writes its files.</summary>
    /// <remarks>A run stopped by <paramref name="stop"/> leaves no folder: it is created only once the run has finished.</remarks>
    private static ComparisonRow Train(TrainOptions run, ClipStrategy strategy, TabularData data, DataSplit split,
        (Standardizer? Features, Standardizer? Target) standardizers, MeanImputer? imputer, ModelSpec spec,
        CancellationToken stop)
    {
        var (network, generator) = TrainRun.Build(run, spec);
        var trainer = TrainRun.Trainer(run, spec, network, generator, TrainRun.Clipping(run, spec), split);
        // Steps are timed by their fastest epoch: an epoch that runs code this strategy is the first to use (its clipper's),
        // or that the runtime has not yet compiled at full optimization, is slower for reasons that are not the strategy's.
        var clock = Stopwatch.StartNew();
        var epochEnded = TimeSpan.Zero;
        double fastest = double.PositiveInfinity;
        var result = trainer.Fit(data, split, standardizers.Features, onEpoch: summary =>
        {
            var now = clock.Elapsed;
            fastest = Math.Min(fastest, (now - epochEnded).TotalMilliseconds / Math.Max(summary.Steps, 1));
            epochEnded = now;
        }, cancellation: stop, targetStandardizer: standardizers.Target);
        clock.Stop();
        TrainRun.CreateOutputFolder(run.OutputFolder);
        var findings = RunJudge.Judge(run, result, data, split);
        TrainRun.WriteRunFiles(run, spec, standardizers, imputer, network, result, findings, data, clock.Elapsed, metrics: true);
        double msPerStep = double.IsFinite(fastest) ? fastest : clock.Elapsed.TotalMilliseconds / Math.Max(result.Steps.Count, 1);
        return ComparisonRow.Of(strategy.Text, strategy.Folder, result, findings, msPerStep, spec.Objective.Metrics(data.Task),
            data.Task == TaskKind.Classification && spec.Objective == TrainingObjective.RowTargets ? data.ClassCount : null);
    }
}
