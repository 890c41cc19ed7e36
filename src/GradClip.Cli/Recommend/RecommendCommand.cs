using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Clipping;
using GradClip.Diagnosis;
using GradClip.Monitoring;
using GradClip.Reinforcement;
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
        var setup = new SetupOptions();
        var steps = new Option<int>("--steps") { Description = "Probe steps to observe (at most the run's: --epochs passes over the training rows).", DefaultValueFactory = _ => 200 };
        var output = new Option<string?>("--out") { Description = "Folder for recommendation.json (default: runs/<timestamp>-recommend)." };
        var fromLog = new Option<string?>("--from-log") { Description = "Advise from the gradient norms of a training log (any format 'gradclip diagnose' reads) instead of a probe run." };
        var command = new Command("recommend", "Suggest max_norm from the gradient norms of a short probe run without clipping, or from a training log.");
        setup.AddTo(command);
        command.Options.Add(steps);
        command.Options.Add(output);
        command.Options.Add(fromLog);
        command.SetAction(result =>
        {
            if (result.GetValue(fromLog) is { } log)
            {
                return setup.All.Append(steps).FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } probeOption
                    ? throw new UsageException("--from-log", $"reads the norms from the log, so {probeOption.Name}, which sets up a probe run, cannot go with it.")
                    : LogRecommendation.Run(console, log, result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-recommend"));
            }
            var problems = new List<string>();
            int probeSteps = result.GetValue(steps);
            if (probeSteps < 10 || probeSteps > 100_000)
            {
                problems.Add($"--steps: must be between 10 and 100000, but was {probeSteps}.");
            }
            // The probe: the first steps of the run train would do with the same options, without clipping.
            var options = setup.Read(result, result.GetValue(output) ?? TrainOptions.DefaultOutputFolder("-recommend"), problems);
            problems.AddRange(setup.Conflicts(result, options));
            problems.AddRange(TrainOptionsCheck.Problems(options));
            if (problems.Count > 0)
            {
                throw new UsageException(problems);
            }
            var (advice, spec, observed, clipping) = Probe(options, probeSteps);
            Write(console, advice, observed < probeSteps ? $"{observed} steps (all of the run's {options.Epochs} epochs)" : $"{observed} steps", clipping, spec);
            AtomicFile.WriteText(Path.Combine(options.OutputFolder, AdviceFile), Json(advice) + "\n");
            console.MarkupLine($"Written to [bold]{Markup.Escape(Path.Combine(options.OutputFolder, AdviceFile))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Trains without clipping for enough epochs to see <paramref name="steps"/> steps, but not beyond the run's epochs, and
    /// advises on their norms; returns the advice, the model and the number of steps observed.
    /// </summary>
    private static (MaxNormAdvice Advice, ModelSpec Spec, int Steps, string Clipping) Probe(TrainOptions options, int steps)
    {
        if (options.BuiltIn?.Agent is { } agent)
        {
            return AgentProbe(options, agent, steps);
        }
        var data = TrainRun.LoadData(options);
        var split = TrainRun.Split(data, options);
        (data, _) = TrainRun.FillMissing(data, split);
        var spec = TrainRun.Model(options, data);
        TrainRun.RequireTrainableSize(spec);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        var (network, generator) = TrainRun.Build(options, spec);
        int stepsPerEpoch = (split.TrainRows.Length + options.BatchSize - 1) / options.BatchSize;
        int epochs = Math.Min((steps + stepsPerEpoch - 1) / stepsPerEpoch, options.Epochs);
        var result = TrainRun.Trainer(options, spec, network, generator, new NoClip(), split, epochs).Fit(data, split, TrainRun.Standardizer(options, data, split),
            targetStandardizer: TrainRun.TargetStandardizer(options, data, split));
        int observed = Math.Min(steps, result.Steps.Count);
        return (MaxNormAdvisor.Advise(result.Steps.Take(observed), spec.Kind), spec, observed, "without clipping");
    }

    /// <summary>
    /// The probe of a task that plays an environment: its policy trained for enough epochs of episodes to see
    /// <paramref name="steps"/> steps, clipped at the low end of the rule of thumb (the norms are those before clipping).
    /// Unclipped, a policy-gradient run's first long steps can make the policy pick one action always, after which its
    /// gradients vanish: the norms of such a probe would describe the collapse, not the training.
    /// </summary>
    private static (MaxNormAdvice Advice, ModelSpec Spec, int Steps, string Clipping) AgentProbe(TrainOptions options, PolicyGradientOptions agent, int steps)
    {
        var spec = AgentRun.Policy(options);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        var (policy, generator) = TrainRun.Build(options, spec);
        int epochs = Math.Min((steps + agent.StepsPerEpoch - 1) / agent.StepsPerEpoch, options.Epochs);
        double maxNorm = MaxNormAdvisor.RuleOfThumb(spec.Kind).Low;
        var result = AgentRun.Trainer(options, policy, generator, new ClipByGlobalNorm(maxNorm), epochs).Fit();
        int observed = Math.Min(steps, result.Steps.Count);
        return (MaxNormAdvisor.Advise(result.Steps.Take(observed), spec.Kind), spec, observed,
            $"clipped at max_norm {NumberText.Short(maxNorm)} (the rule of thumb's low end: an unclipped policy can collapse, and its norms with it), norms taken before clipping");
    }

    private static void Write(IAnsiConsole console, MaxNormAdvice advice, string steps, string clipping, ModelSpec spec)
    {
        console.MarkupLine(Markup.Escape($"Probe: {steps} {clipping}, {spec.Describe()} ({KindText(spec.Kind)})."));
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
