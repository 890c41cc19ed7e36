using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Cli.Train;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Serialization;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Recommend;

/// <summary>
/// <c>gradclip recommend</c>: a short probe run without clipping records the gradient norm of every step, and
/// max_norm is suggested from their percentiles, beside the rule-of-thumb range for the model type.
/// </summary>
public static class RecommendCommand
{
    /// <summary>The advice's file name.</summary>
    public const string AdviceFile = "recommendation.json";

    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<string?>("--data") { Description = "CSV file with a header row. Without it: the built-in data, or --task." };
        var target = new Option<string?>("--target") { Description = "The target column's name (default: the last column)." };
        var task = new Option<string?>("--task") { Description = "A built-in task to probe with its own data, model and optimizer: " + string.Join(", ", BuiltInTasks.All.Select(t => t.Name)) + "." };
        task.AcceptOnlyFromAmong([.. BuiltInTasks.All.Select(t => t.Name)]);
        var steps = new Option<int>("--steps") { Description = "Probe steps to observe.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seeds the probe.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for recommendation.json (default: runs/<timestamp>-recommend)." };
        var fromLog = new Option<string?>("--from-log") { Description = "Advise from the gradient norms of a training log (any format 'gradclip diagnose' reads) instead of a probe run." };
        var command = new Command("recommend", "Suggest max_norm from the gradient norms of a short probe run without clipping.")
        {
            data, target, task, steps, seed, output, fromLog,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(fromLog) is { } log)
            {
                return new Option[] { data, target, task, steps }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } probeOption
                    ? throw new UsageException("--from-log", $"reads the norms from the log, so {probeOption.Name}, which sets up a probe run, cannot go with it.")
                    : LogRecommendation.Run(console, log, result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-recommend"));
            }
            int probeSteps = result.GetValue(steps);
            if (probeSteps < 10 || probeSteps > 100_000)
            {
                throw new UsageException("--steps", $"must be between 10 and 100000, but was {probeSteps}.");
            }
            var builtIn = result.GetValue(task) is { } name ? BuiltInTasks.Find(name)! : null;
            // The probe's settings: the task's (train's defaults for a CSV file), no clipping, non-finite steps skipped.
            var options = TrainOptions.ForTask(builtIn ?? BuiltInTasks.Blobs, result.GetValue(data), result.GetValue(target), result.GetValue(seed),
                result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-recommend"));
            var problems = TrainOptionsCheck.Problems(options).ToList();
            if (builtIn is not null && (options.DataPath is not null || options.Target is not null))
            {
                problems.Add($"--task {builtIn.Name}: a built-in task brings its own data, so --data and --target cannot go with it.");
            }
            if (problems.Count > 0)
            {
                throw new UsageException(problems);
            }
            var (advice, spec) = Probe(options, probeSteps);
            Write(console, advice, probeSteps, spec);
            AtomicFile.WriteText(Path.Combine(options.OutputFolder, AdviceFile), Json(advice) + "\n");
            console.MarkupLine($"Written to [bold]{Markup.Escape(Path.Combine(options.OutputFolder, AdviceFile))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Trains without clipping for enough epochs to see <paramref name="steps"/> steps and advises on their norms.</summary>
    private static (MaxNormAdvice Advice, ModelSpec Spec) Probe(TrainOptions options, int steps)
    {
        var data = TrainRun.LoadData(options);
        var split = TrainRun.Split(data, options);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        var spec = TrainRun.Model(options, data);
        var network = spec.Build(options.Seed);
        int stepsPerEpoch = (split.TrainRows.Length + options.BatchSize - 1) / options.BatchSize;
        int epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        var result = TrainRun.Trainer(options with { Epochs = epochs }, network, new NoClip()).Fit(data, split, TrainRun.Standardizer(options, data, split));
        return (MaxNormAdvisor.Advise(result.Steps.Take(steps), spec.Kind), spec);
    }

    private static void Write(IAnsiConsole console, MaxNormAdvice advice, int steps, ModelSpec spec)
    {
        console.MarkupLine(Markup.Escape($"Probe: {steps} steps without clipping, {spec.Describe()} ({KindText(spec.Kind)})."));
        WriteAdvice(console, advice);
    }

    /// <summary>Writes the norms' percentiles, the suggested max_norm and why.</summary>
    internal static void WriteAdvice(IAnsiConsole console, MaxNormAdvice advice)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Gradient norm", "Value");
        table.AddRow("p10", NumberText.Brief(advice.P10));
        table.AddRow("p50 (median)", NumberText.Brief(advice.P50));
        table.AddRow("p90", NumberText.Brief(advice.P90));
        table.AddRow("max", NumberText.Brief(advice.Max));
        table.AddRow("non-finite steps", advice.NonFiniteSteps.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLine($"[bold green]Suggested max_norm: {Markup.Escape(NumberText.Brief(advice.SuggestedMaxNorm))}[/]");
        foreach (string line in advice.Reasoning)
        {
            console.MarkupLine("  " + Markup.Escape(line));
        }
    }

    private static string KindText(ModelKind kind) => kind switch
    {
        ModelKind.RecurrentNetwork => "a recurrent network",
        ModelKind.Transformer => "a transformer",
        ModelKind.DeepCnn => "a deep convolutional network",
        _ => "a small feed-forward network",
    };

    /// <summary>The advice as <c>recommendation.json</c> holds it.</summary>
    internal static string Json(MaxNormAdvice advice) => MetricsFiles.Json(json =>
    {
        MetricsFiles.Number(json, "suggested_max_norm", advice.SuggestedMaxNorm);
        MetricsFiles.Number(json, "autoclip_max_norm", advice.AutoClipMaxNorm);
        MetricsFiles.Number(json, "p10", advice.P10);
        MetricsFiles.Number(json, "p50", advice.P50);
        MetricsFiles.Number(json, "p90", advice.P90);
        MetricsFiles.Number(json, "max", advice.Max);
        json.WriteNumber("finite_steps", advice.FiniteSteps);
        json.WriteNumber("nonfinite_steps", advice.NonFiniteSteps);
        json.WriteString("model_kind", advice.ModelKind.ToString());
        json.WriteStartArray("rule_of_thumb");
        json.WriteNumberValue(advice.RuleOfThumb.Low);
        json.WriteNumberValue(advice.RuleOfThumb.High);
        json.WriteEndArray();
        json.WriteStartArray("reasoning");
        foreach (string line in advice.Reasoning)
        {
            json.WriteStringValue(line);
        }
        json.WriteEndArray();
    });
}
