using GradClip.Cli.Common;
using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Environments;
using GradClip.Reinforcement;
using GradClip.Nn;
using GradClip.Training;

namespace GradClip.Cli.Tasks;

/// <summary>The tasks <c>--task</c> names: the default data, and the others, each of which shows why clipping exists.</summary>
public static class BuiltInTasks
{
    /// <summary>The default data: three classes on nested shells, a 64-32 ReLU network, Adam. Clipping is a safety net here.</summary>
    public static BuiltInTask Blobs { get; } = new(
        "blobs",
        "3 classes on nested noisy shells (1000 rows × 10 features), a 64-32 ReLU network, Adam at 0.003",
        BuiltInData.Shells,
        (data, hidden) => new MlpSpec(data.FeatureCount, hidden, data.ClassCount),
        [64, 32], Epochs: 20, LearningRate: 0.003, OptimizerKind.Adam, Standardize: true);

    /// <summary>The number of steps of each rnn-long sequence.</summary>
    public const int SequenceSteps = 50;

    /// <summary>The decay of rnn-long's target: each step counts this much less than the next.</summary>
    public const double SequenceDecay = 0.8;

    /// <summary>The gain of rnn-long's recurrent weights at initialization: large enough that gradients explode.</summary>
    public const double SequenceRecurrentGain = 2;

    /// <summary>
    /// A vanilla tanh RNN over sequences of 50 steps, predicting a decaying sum of their values, with large recurrent weights
    /// and SGD: without clipping its gradients explode on the first steps and it never learns; with clipping by norm it does.
    /// </summary>
    public static BuiltInTask RnnLong { get; } = new(
        "rnn-long",
        $"a tanh RNN (recurrent gain {SequenceRecurrentGain}) over {SequenceSteps}-step sequences predicting a decaying sum (1000 rows), SGD at 0.02",
        seed => DecayingSum.Generate(seed, BuiltInData.RowCount, SequenceSteps, SequenceDecay),
        (data, hidden) => new SequenceSpec(RecurrentCell.Rnn, data.FeatureCount / DecayingSum.StepInputs, DecayingSum.StepInputs,
            SingleWidth(hidden), 1, SequenceRecurrentGain),
        [32], Epochs: 15, LearningRate: 0.02, OptimizerKind.Sgd, Standardize: false);

    /// <summary>
    /// Eight ReLU layers of 64 (Kaiming-normal) on the default data at SGD 0.2: without clipping an early gradient spike
    /// kills the network (chance accuracy); with clipping by norm it trains.
    /// </summary>
    public static BuiltInTask DeepMlp { get; } = new(
        "deep-mlp",
        "8 ReLU layers of 64 (Kaiming-normal) on the default data at SGD 0.2: a deep network at a high learning rate",
        BuiltInData.Shells,
        (data, hidden) => new MlpSpec(data.FeatureCount, hidden, data.ClassCount, WeightInit.KaimingNormal),
        [.. Enumerable.Repeat(64, 8)], Epochs: 10, LearningRate: 0.2, OptimizerKind.Sgd, Standardize: true);

    /// <summary>The positions the transformer task's model reads at once.</summary>
    public const int TransformerContext = 32;

    /// <summary>The attention heads of each of the transformer task's blocks.</summary>
    public const int TransformerHeads = 4;

    /// <summary>
    /// A character-level GPT with post-LayerNorm blocks (the original Transformer's wiring, which needs warm-up; two
    /// blocks of width 64, 4 heads, context 32) on the opening of Coriolanus with Adam at 0.01 and no warm-up: within
    /// the first ten steps the gradient norm jumps to 15–50 and the loss spikes; without clipping that step's update
    /// leaves the model predicting each character by its frequency (the unigram plateau) for one to four epochs, while
    /// with max_norm 1 it recovers within a few steps and trains.
    /// </summary>
    public static BuiltInTask Transformer { get; } = new(
        "transformer",
        $"a character-level post-LayerNorm Transformer language model (2 blocks of 64, {TransformerHeads} heads, context {TransformerContext}) on Shakespeare's Coriolanus, Adam at 0.01 without warm-up",
        _ => BuiltInText.Windows(BuiltInText.Coriolanus, new CharVocabulary(BuiltInText.Coriolanus), TransformerContext),
        (data, hidden) => new TransformerSpec(data.ClassCount, data.FeatureCount - 1, SameWidth(hidden, "transformer"), TransformerHeads, hidden.Count, NormFirst: false),
        [64, 64], Epochs: 4, LearningRate: 0.01, OptimizerKind.Adam, Standardize: false);

    /// <summary>The number of images of the cnn task.</summary>
    public const int ImageCount = 1200;

    /// <summary>
    /// A deep VGG-style network (3 stages of two 3×3 convolutions, 8-16-16 channels, Kaiming-normal, no normalization) on
    /// noisy 16×16 shapes at SGD 0.03 (momentum 0.9) in batches of 16: once it leaves its first plateau, gradient spikes
    /// (norms 10–18 against a median under 1) make the unclipped loss jump, and on some seeds the network falls back to
    /// chance; with max_norm 1 or 2 it trains (ahead on each of 5 seeds; max_norm 5 on the mean only).
    /// </summary>
    public static BuiltInTask Cnn { get; } = new(
        "cnn",
        $"a deep CNN (3 stages of two 3x3 convolutions and 2x2 max pooling) on noisy 16x16 images of 4 shapes ({ImageCount} images), SGD at 0.03 in batches of 16",
        seed => BuiltInImages.Generate(seed, ImageCount),
        (data, hidden) => new ConvNetSpec(BuiltInImages.Side, hidden, 2, data.ClassCount),
        [8, 16, 16], Epochs: 8, LearningRate: 0.03, OptimizerKind.Sgd, Standardize: false, BatchSize: 16);

    /// <summary>
    /// REINFORCE with a baseline on CartPole, with unnormalized returns and SGD at 0.01 (momentum 0.9): the gradient norm
    /// grows with the episodes' length, into the hundreds and thousands; without clipping the first large steps drive the
    /// policy to one action and the return to about 9; with max_norm 5 (the rule of thumb's for a small network) it learns.
    /// </summary>
    public static BuiltInTask Rl { get; } = new(
        "rl",
        "REINFORCE with a baseline on CartPole (Barto, Sutton & Anderson 1983, episodes cut off at 500 steps): a 32-unit ReLU policy, 20 episodes an epoch and 4 a step, unnormalized returns (discount 0.99), SGD at 0.01",
        Data: null,
        (_, hidden) => Policy(hidden),
        [32], Epochs: 30, LearningRate: 0.01, OptimizerKind.Sgd, Standardize: false)
    {
        Agent = new PolicyGradientOptions(EpisodesPerEpoch: 20, EpisodesPerStep: 4, Discount: 0.99),
    };

    /// <summary>The rl task's policy network: CartPole's observation in, one logit per action out, through the <paramref name="hidden"/> ReLU layers.</summary>
    public static MlpSpec Policy(IReadOnlyList<int> hidden) => new(CartPole.ObservationSize, hidden, CartPole.ActionCount);

    /// <summary>Every built-in task, the default first.</summary>
    public static IReadOnlyList<BuiltInTask> All { get; } = [Blobs, RnnLong, DeepMlp, Transformer, Cnn, Rl];

    /// <summary>The task called <paramref name="name"/>, or null when there is none.</summary>
    public static BuiltInTask? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static int SameWidth(IReadOnlyList<int> hidden, string task) => hidden.Distinct().Count() == 1
        ? hidden[0]
        : throw new UsageException("--hidden", $"{task}'s blocks share one width (one entry per block, e.g. 64,64), but the widths are {string.Join(",", hidden)}.");

    private static int SingleWidth(IReadOnlyList<int> hidden) => hidden.Count == 1
        ? hidden[0]
        : throw new UsageException("--hidden", $"rnn-long's recurrent network has one hidden size, but {hidden.Count} widths were given ({string.Join(",", hidden)}).");
}
