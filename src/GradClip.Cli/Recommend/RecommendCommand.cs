using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Clipping;
using GradClip.Diagnosis;
using GradClip.Metrics;
using GradClip.Monitoring;
using GradClip.Reinforcement;
using GradClip.Serialization;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Recommend;

/// <summary>
/// <c>gradclip recommend</c>: a short probe run without clipping records the gradient norm of every step, and
/// max_norm is suggested from their percentiles, beside the rule-of-thumb range for the model type; for a task that plays
/// an environment, probes clipped at several max_norms, and the one whose return the health check found best.
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
    /// The probes of a task that plays an environment: its policy trained from the same start for enough epochs of episodes
    /// to see <paramref name="steps"/> steps, once clipped at each of <see cref="AgentMaxNorms"/>, and the max_norm whose
    /// probe the health check found healthy with the highest return over its second half. An unclipped policy can collapse on its first long
    /// steps, and its gradients vanish with it, so its norms would describe the collapse, not the training; and the norms
    /// of a clipped one grow with its return, so it is the return that chooses.
    /// </summary>
    private static (MaxNormAdvice Advice, ModelSpec Spec, int Steps, string Clipping) AgentProbe(TrainOptions options, PolicyGradientOptions agent, int steps)
    {
        var spec = AgentRun.Policy(options);
        TrainRun.CreateOutputFolder(options.OutputFolder);
        int epochs = Math.Min((steps + agent.StepsPerEpoch - 1) / agent.StepsPerEpoch, options.Epochs);
        var maxNorms = AgentMaxNorms(spec.Kind);
        var probes = maxNorms.Select(maxNorm => ReturnProbe(options with { Clip = ClipMode.Norm, MaxNorm = maxNorm }, spec, epochs, steps)).ToList();
        int observed = probes[0].Norms.Count;
        return (MaxNormAdvisor.AdviseFromReturns(probes, spec.Kind), spec, observed,
            $"clipped at each of max_norm {string.Join(", ", maxNorms.Select(NumberText.Short))} (an unclipped policy can collapse, and its norms with it), norms taken before clipping");
    }

    /// <summary>The max_norms an agent is probed at: the rule of thumb's range for its network, and a fifth of its low end.</summary>
    private static double[] AgentMaxNorms(ModelKind kind)
    {
        var (low, high) = MaxNormAdvisor.RuleOfThumb(kind);
        return [low / 5, low, high];
    }

    /// <summary>One probe of the agent the <paramref name="options"/> describe, judged by the health check as <c>train</c> judges a run.</summary>
    private static ReturnProbe ReturnProbe(TrainOptions options, ModelSpec spec, int epochs, int steps)
    {
        var (policy, generator) = TrainRun.Build(options, spec);
        var result = AgentRun.Trainer(options, policy, generator, new ClipByGlobalNorm(options.MaxNorm), epochs).Fit();
        var observed = result.Steps.Take(steps).ToList();
        var returns = result.Epochs.Select(e => e.Figure(EpochMetric.MeanReturn.Name) ?? double.NaN).ToList();
        bool healthy = HealthCheck.Primary(RunJudge.Judge(options, result, AgentRun.Environment)).Kind == HealthKind.Healthy;
        return new ReturnProbe(options.MaxNorm, [.. observed.Select(s => s.NormBefore)], observed.Count(s => s.Clipped) / (double)observed.Count,
            returns[0], returns.Max(), returns[^1], returns.Skip(returns.Count / 2).Average(), healthy);
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
        if (advice.Probes.Count > 0)
        {
            WriteProbes(json, advice.Probes);
        }
        json.WriteStartArray("reasoning");
        foreach (string line in advice.Reasoning)
        {
            json.WriteStringValue(line);
        }
        json.WriteEndArray();
    });

    private static void WriteProbes(Utf8JsonWriter json, IReadOnlyList<ReturnProbe> probes)
    {
        json.WriteStartArray("probes");
        foreach (var probe in probes)
        {
            json.WriteStartObject();
            MetricsFiles.Number(json, "max_norm", probe.MaxNorm);
            MetricsFiles.Number(json, "clip_rate", probe.ClipRate);
            MetricsFiles.Number(json, "first_return", probe.FirstReturn);
            MetricsFiles.Number(json, "best_return", probe.BestReturn);
            MetricsFiles.Number(json, "final_return", probe.FinalReturn);
            MetricsFiles.Number(json, "late_return", probe.LateReturn);
            json.WriteBoolean("healthy", probe.Healthy);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
