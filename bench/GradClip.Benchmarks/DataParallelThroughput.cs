using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using GradClip.Clipping;
using GradClip.Data;
using GradClip.Distributed;
using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Training;
using Tensor = GradClip.Tensors.Tensor;

namespace GradClip.Benchmarks;

/// <summary>
/// <c>data-parallel [steps]</c>: data-parallel training steps of an MLP 784-1024-1024-10 on batches of 256 (8 micro-shards,
/// clipping by norm, Adam) on 1 and on 2 ranks under mpirun; each job prints its rows per second, the share of a step its
/// reduction (the tree's all-gather) takes, and that all-gather against a memcpy of the same bytes. Ratios only: other
/// work shares the machine.
/// </summary>
internal static class DataParallelThroughput
{
    private const int Batch = 256;
    private const int MicroShards = 8;

    /// <summary>Starts the job on 1 and on 2 ranks; returns 0 when both ran.</summary>
    public static int Run(string[] args)
    {
        string steps = args.Length > 0 ? args[0] : "20";
        string self = typeof(DataParallelThroughput).Assembly.Location;
        foreach (int ranks in new[] { 1, 2 })
        {
            int code = MpiLauncher.Run(ranks, ["dotnet", self, "data-parallel-rank", steps], CancellationToken.None);
            if (code != 0)
            {
                return code;
            }
        }
        return 0;
    }

    /// <summary>One rank of the job: times the steps, then the reduction and a memcpy of its bytes; rank 0 prints.</summary>
    public static int RunRank(string[] args)
    {
        int steps = int.Parse(args[0], CultureInfo.InvariantCulture);
        using var communicator = MpiCommunicator.Initialize();
        var generator = new Generator(0);
        var model = new MlpSpec(784, [1024, 1024], 10).Build(generator);
        var named = model.NamedParameters();
        var parameters = model.Parameters().ToList();
        var optimizer = new Adam(parameters, 1e-3);
        var step = new DataParallelStep(communicator, MicroShards, named);
        var clipping = new GradientMonitor(new ClipByGlobalNorm(1));
        var batches = new TrainingBatches(Synthetic(generator), null);
        var rows = Enumerable.Range(0, Batch).ToArray();
        Tensor Loss(Batch batch) => Tensor.CrossEntropy(model.Forward(batch.Features), batch.Labels!);

        void Step()
        {
            double loss = step.Gradients(batches, rows, Loss);
            step.RequireAgreement(clipping.Step(parameters, loss, optimizer.LearningRate));
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        Step();
        communicator.Barrier();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            Step();
        }
        double stepSeconds = clock.Elapsed.TotalSeconds / steps;

        int width = parameters.Sum(p => p.Count) + 1;
        var tree = new ShardTree(MicroShards, communicator.Size);
        var mine = new float[tree.MaxNodes * width];
        var all = new float[communicator.Size * tree.MaxNodes * width];
        double gatherSeconds = Average(steps, () => communicator.AllGather(mine, all));
        double copySeconds = Average(steps, () => mine.AsSpan().CopyTo(all));
        if (communicator.Rank == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"data-parallel, {communicator.Size} rank(s), MLP 784-1024-1024-10 ({width - 1:N0} weights), batch {Batch}, {MicroShards} micro-shards:"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Batch / stepSeconds,10:0} rows/s   {stepSeconds * 1e3,8:0.0} ms a step   reduction (all-gather of {mine.Length * 4L >> 20} MB a rank) {gatherSeconds * 1e3,7:0.00} ms = {gatherSeconds / stepSeconds,6:P1} of a step   memcpy of the same bytes {copySeconds * 1e3,6:0.00} ms (all-gather {gatherSeconds / copySeconds:0.0}x)"));
        }
        communicator.Barrier();
        return 0;
    }

    private static double Average(int repeats, Action action)
    {
        action();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++)
        {
            action();
        }
        return clock.Elapsed.TotalSeconds / repeats;
    }

    /// <summary>256 rows of 784 uniform features in 10 classes, from the run's generator.</summary>
    private static TabularData Synthetic(Generator generator)
    {
        var features = ImmutableArray.CreateRange(Enumerable.Range(0, Batch * 784).Select(_ => (float)generator.NextDouble()));
        var labels = ImmutableArray.CreateRange(Enumerable.Range(0, Batch).Select(i => i % 10));
        return TabularData.ForClassification(features, [.. Enumerable.Range(0, 784).Select(j => $"x{j}")], labels,
            [.. Enumerable.Range(0, 10).Select(c => $"c{c}")], new DataDescription("y", "synthetic", "benchmark"));
    }
}
