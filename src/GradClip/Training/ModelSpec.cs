using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>The architecture of a model the trainer builds from a seed, saves and rebuilds: feed-forward or recurrent.</summary>
public abstract record ModelSpec
{
    /// <summary>The number of input features of a row.</summary>
    public abstract int Inputs { get; }

    /// <summary>The number of outputs: classes (logits) for classification, 1 for regression.</summary>
    public abstract int Outputs { get; }

    /// <summary>How many weights and biases the network has.</summary>
    public abstract long ParameterCount { get; }

    /// <summary>The name of the output layer (its parameters are <c>NAME.weight</c> and <c>NAME.bias</c>).</summary>
    public abstract string OutputLayerName { get; }

    /// <summary>The kind of model, for the max_norm rule of thumb.</summary>
    public abstract ModelKind Kind { get; }

    /// <summary>What the model's outputs are scored against: one target per row, unless the model is a language model.</summary>
    public virtual TrainingObjective Objective => TrainingObjective.RowTargets;

    /// <summary>Builds the network with its initialization drawn from a <see cref="Generator"/> seeded with <paramref name="seed"/>.</summary>
    public Module<Tensor, Tensor> Build(int seed) => Build(new Generator(seed));

    /// <summary>Builds the network with its initialization drawn from <paramref name="generator"/> (its dropout layers draw from it too).</summary>
    public abstract Module<Tensor, Tensor> Build(Generator generator);

    /// <summary>The architecture as written on the command line and in reports.</summary>
    public abstract string Describe();
}
