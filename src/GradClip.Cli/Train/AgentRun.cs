using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Tasks;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Environments;
using GradClip.Metrics;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Reinforcement;
using GradClip.Tensors;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Train;

/// <summary>
/// A <c>train</c>, <c>compare</c> or <c>recommend</c> run of a task that plays an environment (<see cref="BuiltInTask.Agent"/>):
/// its policy network, its policy-gradient trainer, and what its files and verdicts say of it.
/// </summary>
public static class AgentRun
{
    /// <summary>The environment the agent plays, as setups, summaries and reports name it.</summary>
    public const string Environment = "CartPole (Barto, Sutton & Anderson 1983)";

    /// <summary>The names of CartPole's observations, the policy's inputs.</summary>
    private static readonly string[] Observations = ["x", "x_dot", "theta", "theta_dot"];

    /// <summary>The names of CartPole's actions, the policy's outputs.</summary>
    private static readonly string[] Actions = ["left", "right"];

    /// <summary>The <c>train</c> run of the options' agent task: what it shares with every run, set up for the environment.</summary>
    internal static RunPlan Plan(TrainOptions options, IAnsiConsole console)
    {
        var spec = Policy(options);
        var (policy, generator) = TrainRun.Build(options, spec);
        var clipping = TrainRun.Clipping(options, spec);
        var trainer = Trainer(options, policy, generator, clipping);
        return new RunPlan(
            TrainedOn(options),
            () => console.MarkupLine(Markup.Escape(SetupLine(options, spec))),
            (onEpoch, checkpoint, onCheckpoint, cancellation) => trainer.Fit(onEpoch, checkpoint, onCheckpoint, cancellation),
            result => RunJudge.Judge(options, result, Environment),
            Environment,
            TaskMetrics.Reinforcement,
            (result, findings, elapsed) => WriteRunFiles(options, spec, policy, result, findings, elapsed, metrics: false));
    }

    /// <summary>The policy network the options ask for, refused (exit 2) when too large.</summary>
    internal static MlpSpec Policy(TrainOptions options)
    {
        var spec = BuiltInTasks.Policy(options.Hidden);
        TrainRun.RequireTrainableSize(spec);
        return spec;
    }

    /// <summary>A policy-gradient trainer of <paramref name="policy"/> with the options' optimizer, schedule, epochs and the task's episodes; it trains only the first <paramref name="epochs"/> when given.</summary>
    internal static PolicyGradientTrainer Trainer(TrainOptions options, Module<Tensor, Tensor> policy, Generator generator, IGradientTransform clipping, int? epochs = null)
    {
        var agent = Agent(options);
        var optimizer = TrainRun.Optimizer(options, policy);
        return new PolicyGradientTrainer(policy, optimizer, clipping, generator,
            agent with { Epochs = epochs ?? options.Epochs, OnNonFinite = options.OnNonFinite, CheckpointEvery = options.CheckpointEvery },
            TrainRun.Schedule(options, optimizer, agent.StepsPerEpoch));
    }

    /// <summary>Writes the policy (as a classifier of observations into actions) and the summary, and the metrics unless <paramref name="metrics"/> is false.</summary>
    internal static IReadOnlyList<string> WriteRunFiles(
        TrainOptions options, ModelSpec spec, Module network, TrainingResult result, IReadOnlyList<HealthFinding> findings, TimeSpan elapsed, bool metrics) =>
        RunFiles.Write(options.OutputFolder,
            new SavedModel(spec, TaskKind.Classification, Observations, "action", Actions, null, options.Describe()),
            network, result, findings, (Environment, result.Epochs.Count * Agent(options).EpisodesPerEpoch, TaskMetrics.Reinforcement.Task), elapsed, metrics);

    private static PolicyGradientOptions Agent(TrainOptions options) => options.BuiltIn?.Agent
        ?? throw new ArgumentException($"The task {options.BuiltIn?.Name ?? "(data)"} plays no environment.", nameof(options));

    /// <summary>What the run plays, as its checkpoint records it.</summary>
    private static Dictionary<string, string> TrainedOn(TrainOptions options)
    {
        var agent = Agent(options);
        return new(StringComparer.Ordinal)
        {
            ["data"] = Environment,
            ["rows"] = "0",
            ["episodes_per_epoch"] = agent.EpisodesPerEpoch.ToString(CultureInfo.InvariantCulture),
            ["episodes_per_step"] = agent.EpisodesPerStep.ToString(CultureInfo.InvariantCulture),
            ["discount"] = agent.Discount.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private static string SetupLine(TrainOptions options, MlpSpec spec)
    {
        var agent = Agent(options);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment}, episodes cut off at {CartPole.MaxSteps} steps. Policy {spec.Describe()} with ReLU, REINFORCE with a baseline (discount {agent.Discount}); "
            + $"{agent.EpisodesPerEpoch} episodes an epoch, {agent.EpisodesPerStep} a step; {options.Optimizer.ToString().ToLowerInvariant()} lr {NumberText.Short(options.LearningRate)}, "
            + $"{options.Epochs} epochs, seed {options.Seed}; clipping {options.Clip.ToString().ToLowerInvariant()}{(options.Clip == ClipMode.Norm ? $" (max_norm {NumberText.Short(options.MaxNorm)})" : "")}.");
    }
}
