using GradClip.Clipping;
using GradClip.Data;
using GradClip.Diagnosis;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Corpus;

/// <summary>
/// The labelled corpus: one scenario per verdict kind the diagnosis must give, each trained by the engine. Thresholds are
/// fixed on seeds 0–4; seeds 5–9, the <see cref="Variation"/>s and seeds 10–14 are held out.
/// </summary>
public static class Scenarios
{
    /// <summary>The seeds the diagnosis's thresholds were fixed on.</summary>
    public static IReadOnlyList<int> TuningSeeds { get; } = [0, 1, 2, 3, 4];

    /// <summary>The seeds held out from tuning.</summary>
    public static IReadOnlyList<int> HeldOutSeeds { get; } = [5, 6, 7, 8, 9];

    /// <summary>Seeds never looked at while the rules were written, kept for checking the final rules.</summary>
    public static IReadOnlyList<int> FreshSeeds { get; } = [10, 11, 12, 13, 14];

    /// <summary>An MLP on the shell data, Adam, clipping by norm at a threshold some steps exceed.</summary>
    public static Scenario Healthy { get; } = new("healthy", HealthKind.Healthy,
        "a 32-16 ReLU network on the shell data, Adam at 0.003, max_norm 1: clipping fires now and then, the loss falls",
        (seed, v) => Shells(seed, v, [32, 16], Adam(0.003 * v.LearningRateScale), new ClipByGlobalNorm(1), epochs: 12));

    /// <summary>The healthy setup with a threshold far above every norm.</summary>
    public static Scenario Idle { get; } = new("idle", HealthKind.ClippingIdle,
        "the healthy setup with max_norm 1000: clipping never fires",
        (seed, v) => Shells(seed, v, [32, 16], Adam(0.003 * v.LearningRateScale), new ClipByGlobalNorm(1000), epochs: 12));

    /// <summary>A tanh RNN with large recurrent weights, no clipping.</summary>
    public static Scenario Exploding { get; } = new("exploding", HealthKind.Exploding,
        "a tanh RNN (recurrent gain 2) over 50-step sequences, SGD at 0.05 with momentum, no clipping: its gradients explode",
        (seed, v) => Rnn(seed, v, 0.05, new NoClip(), epochs: 4));

    /// <summary>The same RNN clipped by norm at 1: nearly every step clipped, and the loss falls well.</summary>
    public static Scenario RnnContained { get; } = new("rnn-contained", HealthKind.Healthy,
        "the exploding RNN clipped by norm at 1: clipping sets every step's size and the loss falls well",
        (seed, v) => Rnn(seed, v, 0.01, new ClipByGlobalNorm(1), epochs: 10));

    /// <summary>SGD with a threshold a thousandth of the typical norm.</summary>
    public static Scenario OverClipped { get; } = new("over-clipped", HealthKind.OverClipped,
        "the 32-16 network with SGD at 0.05 and max_norm 0.01: every step is cut to almost nothing and the loss crawls",
        (seed, v) => Shells(seed, v, [32, 16], Sgd(0.05 * v.LearningRateScale), new ClipByGlobalNorm(0.01), epochs: 12));

    /// <summary>SGD at a learning rate far too high, with clipping on.</summary>
    public static Scenario RateTooHigh { get; } = new("rate-too-high", HealthKind.ClippingIneffective,
        "the 32-16 network with SGD at 10 and max_norm 1: clipping caps every step and the loss still blows up",
        (seed, v) => Shells(seed, v, [32, 16], Sgd(10 * v.LearningRateScale), new ClipByGlobalNorm(1), epochs: 12));

    /// <summary>A deep sigmoid stack: the first layers' gradients vanish.</summary>
    public static Scenario Vanishing { get; } = new("vanishing", HealthKind.VanishingGradients,
        "ten sigmoid layers of 32 with SGD at 0.05 and max_norm 1: the first layers' gradients are orders below the last's and the loss stays at ln 3",
        (seed, v) => Shells(seed, v, [.. Enumerable.Repeat(32, 10)], Sgd(0.05 * v.LearningRateScale), new ClipByGlobalNorm(1), epochs: 8,
            activation: () => new Sigmoid()));

    /// <summary>The healthy setup with every label of one batch shifted to the next class.</summary>
    public static Scenario DataFault { get; } = new("data-fault", HealthKind.LossSpikeWithoutGradientSpike,
        "the healthy setup with every label of the batch at step 200 shifted to the next class: the loss jumps for one batch",
        (seed, v) => Shells(seed, v, [32, 16], Adam(0.003 * v.LearningRateScale), new ClipByGlobalNorm(1), epochs: 12,
            wrap: model => new BatchFault(model, BuiltInData.ClassCount, DataFaultStep)));

    /// <summary>The step whose batch <see cref="DataFault"/> corrupts.</summary>
    public const int DataFaultStep = 200;

    /// <summary>A wide network on 200 rows of the shell data with a fifth of the labels wrong, trained for many epochs.</summary>
    public static Scenario Overfitting { get; } = new("overfitting", HealthKind.Overfitting,
        "a 128-128 network on 200 rows of the shell data with a fifth of the labels wrong, Adam at 0.01 for 60 epochs, max_norm 5: it learns the wrong labels by heart, so the training loss falls while the validation loss rises",
        (seed, v) => Shells(seed, v, [128, 128], Adam(0.01 * v.LearningRateScale), new ClipByGlobalNorm(5), epochs: 60, rows: 200));

    /// <summary>Every scenario.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
        [Healthy, Idle, Exploding, RnnContained, OverClipped, RateTooHigh, Vanishing, DataFault, Overfitting];

    private static Func<IEnumerable<Tensor>, Optimizer> Adam(double lr) => parameters => new Adam(parameters, lr);

    private static Func<IEnumerable<Tensor>, Optimizer> Sgd(double lr) => parameters => new Sgd(parameters, lr, momentum: 0.9);

    private static RunTrace Shells(
        int seed, Variation v, int[] hidden, Func<IEnumerable<Tensor>, Optimizer> optimizer, IGradientTransform clipping, int epochs,
        Func<Module<Tensor, Tensor>>? activation = null, Func<Module<Tensor, Tensor>, Module<Tensor, Tensor>>? wrap = null, int? rows = null)
    {
        var data = BuiltInData.Shells(seed + v.DataSeed);
        if (rows is { } count)
        {
            data = NoisyRows(data, count, wrong: 0.2, seed);
        }
        var model = Mlp(data.FeatureCount, [.. hidden.Select(v.Width)], data.ClassCount, seed, activation ?? (() => new ReLU()));
        var network = wrap?.Invoke(model) ?? model;
        return Train(network, optimizer(network.Parameters()), clipping, data, epochs, seed, standardize: true);
    }

    private static RunTrace Rnn(int seed, Variation v, double lr, IGradientTransform clipping, int epochs)
    {
        const int steps = 50;
        var data = DecayingSum.Generate(seed + v.DataSeed, BuiltInData.RowCount, steps, 0.8);
        var network = new SequenceSpec(RecurrentCell.Rnn, steps, DecayingSum.StepInputs, v.Width(32), 1, 2).Build(seed);
        return Train(network, new Sgd(network.Parameters(), lr * v.LearningRateScale, momentum: 0.9), clipping, data, epochs, seed, standardize: false);
    }

    private static Sequential Mlp(int inputs, int[] hidden, int outputs, int seed, Func<Module<Tensor, Tensor>> activation)
    {
        var random = new Random(seed);
        var layers = new List<Module<Tensor, Tensor>>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h, random));
            layers.Add(activation());
            width = h;
        }
        layers.Add(new Linear(width, outputs, random));
        return new Sequential([.. layers]);
    }

    private static RunTrace Train(
        Module<Tensor, Tensor> network, Optimizer optimizer, IGradientTransform clipping, TabularData data, int epochs, int seed, bool standardize)
    {
        var split = DataSplit.Create(data, DataSplit.DefaultValidationFraction, seed);
        var standardizer = standardize ? Standardizer.Fit(data, split.TrainRows.AsSpan()) : null;
        var trainer = new Trainer(network, optimizer, clipping, new TrainerOptions(epochs, 32, seed));
        var result = trainer.Fit(data, split, standardizer);
        return RunTrace.FromRecords(result.Steps, result.Epochs, Setup(clipping, data, split, result.Steps.Count));
    }

    private static RunSetup Setup(IGradientTransform clipping, TabularData data, DataSplit split, int steps)
    {
        bool classification = data.Task == TaskKind.Classification;
        return new RunSetup
        {
            Clipping = clipping switch
            {
                NoClip => ClippingKind.None,
                ClipByGlobalNorm => ClippingKind.Norm,
                ClipByValue => ClippingKind.Value,
                _ => ClippingKind.Adaptive,
            },
            MaxNorm = (clipping as ClipByGlobalNorm)?.MaxNorm,
            Task = data.Task,
            ClassCount = classification ? data.ClassCount : null,
            MeanPredictionLoss = classification ? null : MeanPredictionLoss(data, split),
            TotalSteps = steps,
        };
    }

    private static double MeanPredictionLoss(TabularData data, DataSplit split)
    {
        double mean = split.TrainRows.Average(row => (double)data.Targets[row]);
        return split.ValidationRows.Average(row => (data.Targets[row] - mean) * (data.Targets[row] - mean));
    }

    /// <summary>The first <paramref name="rows"/> rows, with the given fraction of them moved to another class at random.</summary>
    private static TabularData NoisyRows(TabularData data, int rows, double wrong, int seed)
    {
        var random = new Random(seed);
        var labels = data.Labels[..rows].ToArray();
        for (int i = 0; i < rows; i++)
        {
            if (random.NextDouble() < wrong)
            {
                labels[i] = (labels[i] + 1 + random.Next(data.ClassCount - 1)) % data.ClassCount;
            }
        }
        return TabularData.ForClassification(data.Features[..(rows * data.FeatureCount)], data.FeatureNames, [.. labels], data.ClassNames,
            new DataDescription(data.TargetName, data.Source, data.TaskReason));
    }
}
