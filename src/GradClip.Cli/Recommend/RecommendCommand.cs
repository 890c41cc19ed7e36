using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Clipping;
using GradClip.Data;
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
        var data = new Option<string?>("--data") { Description = "CSV file with a header row. Without it: the built-in data." };
        var target = new Option<string?>("--target") { Description = "The target column's name (default: the last column)." };
        var steps = new Option<int>("--steps") { Description = "Probe steps to observe.", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seeds the probe.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Folder for recommendation.json (default: runs/<timestamp>-recommend)." };
        var command = new Command("recommend", "Suggest max_norm from the gradient norms of a short probe run without clipping.")
        {
            data, target, steps, seed, output,
        };
        command.SetAction(result =>
        {
            int probeSteps = result.GetValue(steps);
            if (probeSteps < 10 || probeSteps > 100_000)
            {
                throw new UsageException("--steps", $"must be between 10 and 100000, but was {probeSteps}.");
            }
            var options = ProbeOptions(result.GetValue(data), result.GetValue(target), result.GetValue(seed),
                result.GetValue(output) ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-recommend"));
            var problems = TrainOptionsCheck.Problems(options).ToList();
            if (problems.Count > 0)
            {
                throw new UsageException(problems);
            }
            var advice = Probe(options, probeSteps);
            Write(console, advice, probeSteps);
            AtomicFile.WriteText(Path.Combine(options.OutputFolder, AdviceFile), Json(advice) + "\n");
            console.MarkupLine($"Written to [bold]{Markup.Escape(Path.Combine(options.OutputFolder, AdviceFile))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The probe's settings: train's defaults, no clipping, non-finite steps skipped.</summary>
    private static TrainOptions ProbeOptions(string? data, string? target, int seed, string folder) => new(
        data, target, null, [64, 32], Epochs: 1, BatchSize: 32, LearningRate: 0.003, OptimizerKind.Adam, ClipMode.None,
        MaxNorm: 1, NormType: 2, ClipValue: 0.5, Percentile: 10, ZThreshold: 2.5, AgcClipping: 0.01, NonFiniteAction.Skip,
        DataSplit.DefaultValidationFraction, seed, folder, Standardize: true);

    /// <summary>Trains without clipping for enough epochs to see <paramref name="steps"/> steps and advises on their norms.</summary>
    private static MaxNormAdvice Probe(TrainOptions options, int steps)
    {
        var data = TrainRun.LoadData(options);
        var split = TrainRun.Split(data, options);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        var spec = new MlpSpec(data.FeatureCount, options.Hidden, data.Task == TaskKind.Classification ? data.ClassCount : 1);
        var network = spec.Build(options.Seed);
        int stepsPerEpoch = (split.TrainRows.Length + options.BatchSize - 1) / options.BatchSize;
        int epochs = (steps + stepsPerEpoch - 1) / stepsPerEpoch;
        var trainer = new Trainer(network, new Adam(network.Parameters(), options.LearningRate), new NoClip(),
            new TrainerOptions(epochs, options.BatchSize, options.Seed, options.OnNonFinite));
        var result = trainer.Fit(data, split, Standardizer.Fit(data, split.TrainRows.AsSpan()));
        return MaxNormAdvisor.Advise(result.Steps.Take(steps), ModelKind.SmallFeedForward);
    }

    private static void Write(IAnsiConsole console, MaxNormAdvice advice, int steps)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Gradient norm over the probe", "Value");
        table.AddRow("p10", NumberText.Brief(advice.P10));
        table.AddRow("p50 (median)", NumberText.Brief(advice.P50));
        table.AddRow("p90", NumberText.Brief(advice.P90));
        table.AddRow("max", NumberText.Brief(advice.Max));
        table.AddRow("non-finite steps", advice.NonFiniteSteps.ToString(CultureInfo.InvariantCulture));
        console.MarkupLine($"Probe: {steps} steps without clipping, a small feed-forward network.");
        console.Write(table);
        console.MarkupLine($"[bold green]Suggested max_norm: {Markup.Escape(NumberText.Brief(advice.SuggestedMaxNorm))}[/]");
        foreach (string line in advice.Reasoning)
        {
            console.MarkupLine("  " + Markup.Escape(line));
        }
    }

    private static string Json(MaxNormAdvice advice) => MetricsFiles.Json(json =>
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
