using System.Diagnostics;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;
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
        var contest = options.BuiltIn?.Agent is not null ? AgentContest(options) : DataContest(options);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        using var folderLock = TrainRun.LockOutputFolder(options.OutputFolder, console);
        RunFolder.Prepare(options.OutputFolder, options.Overwrite);
        console.MarkupLine(Markup.Escape(
            $"Comparing {strategies.Count} strategies on {contest.Task}: {contest.Model}, {options.Optimizer.ToString().ToLowerInvariant()} lr {NumberText.Short(options.LearningRate)}, "
            + $"{options.Epochs} epochs, seed {options.Seed}; the same initialization and {contest.Same} for each."));
        var outcomes = new List<ComparisonRow>();
        try
        {
            WarmUp(strategies[0].ApplyTo(options, options.OutputFolder), contest, stop.Token);
            foreach (var strategy in strategies)
            {
                var run = strategy.ApplyTo(options, Path.Combine(options.OutputFolder, strategy.Folder));
                var outcome = contest.Train(run, strategy, stop.Token);
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
        var metrics = contest.Metrics;
        console.Write(ComparisonTable.Of(outcomes, metrics));
        ComparisonFile.Write(options.OutputFolder, contest.Task, contest.Model, options.Seed, options.Epochs, metrics, outcomes);
        console.MarkupLine(Markup.Escape($"Final figures are the last epoch's; each strategy's saved model holds its best {options.Monitor} epoch's weights."));
        console.MarkupLine(Markup.Escape(CompareWinner.Sentence(outcomes, metrics.Headline)));
        // Each strategy's report too, from the records read once for the comparison's.
        var files = CompareReport.WriteWithStrategies(options.OutputFolder, options.Plots, strategyReports: true)
            .Where(file => Path.GetDirectoryName(file) is "").ToList();
        console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(options.OutputFolder, RunReport.ReportFile))}[/]");
        console.MarkupLine(Markup.Escape($"Files in {options.OutputFolder}: {ComparisonRecords.ComparisonFile}, {string.Join(", ", files)}, and a run folder per strategy: {string.Join(", ", outcomes.Select(o => o.Folder))}"));
        return outcomes.Count == strategies.Count ? ExitCodes.Success : ExitCodes.Interrupted;
    }

    /// <summary>What a comparison needs of its task: names for the header, the metrics, and a strategy's run (trained, judged and written).</summary>
    /// <param name="Task">The task's name.</param>
    /// <param name="Model">The model, as the header describes it.</param>
    /// <param name="Same">What every strategy shares besides the initialization: the batches, or the episodes' random draws.</param>
    /// <param name="Metrics">The metrics the task reports.</param>
    /// <param name="Fit">Trains a fresh copy of the model with the run's options (its clipping included), reporting each epoch; returns the result and a function that judges it and writes its files.</param>
    /// <param name="ClassCount">The number of classes a classifier's accuracy is judged against, or null.</param>
    private sealed record Contest(
        string Task, string Model, string Same, TaskMetrics Metrics,
        Func<TrainOptions, Action<EpochSummary>?, CancellationToken, (TrainingResult Result, Func<TimeSpan, IReadOnlyList<HealthFinding>> Write)> Fit,
        int? ClassCount)
    {
        /// <summary>Trains a fresh copy of the model (same seed, so the same initialization) under one strategy and writes its files.</summary>
        /// <remarks>A run stopped by <paramref name="stop"/> leaves no folder: it is created only once the run has finished.</remarks>
        public ComparisonRow Train(TrainOptions run, ClipStrategy strategy, CancellationToken stop)
        {
            // Steps are timed by their fastest epoch: an epoch that runs code this strategy is the first to use (its clipper's),
            // or that the runtime has not yet compiled at full optimization, is slower for reasons that are not the strategy's.
            var clock = Stopwatch.StartNew();
            var epochEnded = TimeSpan.Zero;
            double fastest = double.PositiveInfinity;
            var (result, write) = Fit(run, summary =>
            {
                var now = clock.Elapsed;
                fastest = Math.Min(fastest, (now - epochEnded).TotalMilliseconds / Math.Max(summary.Steps, 1));
                epochEnded = now;
            }, stop);
            clock.Stop();
            TrainRun.CreateOutputFolder(run.OutputFolder);
            var findings = write(clock.Elapsed);
            double msPerStep = double.IsFinite(fastest) ? fastest : clock.Elapsed.TotalMilliseconds / Math.Max(result.Steps.Count, 1);
            return ComparisonRow.Of(strategy.Text, strategy.Folder, result, findings, msPerStep, Metrics, ClassCount);
        }
    }

    /// <summary>A comparison on data: the data, split and standardization once, then a trainer per strategy.</summary>
    private static Contest DataContest(TrainOptions options)
    {
        var data = TrainRun.LoadData(options);
        var split = TrainRun.Split(data, options);
        (data, var imputer) = TrainRun.FillMissing(data, split);
        (Standardizer? Features, Standardizer? Target) standardizers = (TrainRun.Standardizer(options, data, split), TrainRun.TargetStandardizer(options, data, split));
        var spec = TrainRun.Model(options, data);
        TrainRun.RequireTrainableSize(spec);
        return new Contest(options.BuiltIn?.Name ?? data.Source, spec.Describe(), "batches", spec.Objective.Metrics(data.Task),
            (run, onEpoch, stop) =>
            {
                var (network, generator) = TrainRun.Build(run, spec);
                var result = TrainRun.Trainer(run, spec, network, generator, TrainRun.Clipping(run, spec), split)
                    .Fit(data, split, standardizers.Features, onEpoch, cancellation: stop, targetStandardizer: standardizers.Target);
                return (result, elapsed =>
                {
                    var findings = RunJudge.Judge(run, result, data, split, spec.Objective);
                    TrainRun.WriteRunFiles(run, spec, standardizers, imputer, network, result, findings, data, elapsed, metrics: true);
                    return findings;
                });
            },
            data.Task == TaskKind.Classification && spec.Objective == TrainingObjective.RowTargets ? data.ClassCount : null);
    }

    /// <summary>A comparison of an agent: a policy-gradient trainer per strategy, every one drawing the same episode starts and uniforms.</summary>
    private static Contest AgentContest(TrainOptions options)
    {
        var spec = AgentRun.Policy(options);
        return new Contest(options.BuiltIn!.Name, spec.Describe(), "random draws", TaskMetrics.Reinforcement,
            (run, onEpoch, stop) =>
            {
                var (policy, generator) = TrainRun.Build(run, spec);
                var result = AgentRun.Trainer(run, policy, generator, TrainRun.Clipping(run, spec)).Fit(onEpoch, cancellation: stop);
                return (result, elapsed =>
                {
                    var findings = RunJudge.Judge(run, result, AgentRun.Environment);
                    AgentRun.WriteRunFiles(run, spec, policy, result, findings, elapsed, metrics: true);
                    return findings;
                });
            },
            ClassCount: null);
    }

    /// <summary>How long throwaway copies train before the timed runs: long enough for the runtime to finish compiling the hot code.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Trains throwaway copies under the first strategy, untimed and unrecorded, for <see cref="WarmUpTime"/> (at least one
    /// run): the runtime compiles hot code at full optimization only after it has run a while, and until then steps run
    /// several times slower, so the strategies trained first would pay for it.
    /// </summary>
    private static void WarmUp(TrainOptions run, Contest contest, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            contest.Fit(run, null, stop);
        }
        while (clock.Elapsed < WarmUpTime);
    }
}
