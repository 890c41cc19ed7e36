using System.Globalization;
using GradClip.Monitoring;
using GradClip.Nn;
using GradClip.Randomness;

namespace GradClip.Training;

/// <summary>The shape of a <see cref="SequenceNetwork"/>: a recurrent layer over rows of <paramref name="Steps"/> steps, and a linear head.</summary>
/// <param name="Cell">The recurrent layer: RNN, LSTM or GRU.</param>
/// <param name="Steps">The steps of each sequence.</param>
/// <param name="StepInputs">The features of each step.</param>
/// <param name="Hidden">The hidden state's size.</param>
/// <param name="Outputs">The number of outputs: classes (logits) for classification, 1 for regression.</param>
/// <param name="RecurrentGain">The gain of the hidden-to-hidden weights' initialization, or null for PyTorch's (see <see cref="SequenceNetwork"/>).</param>
public sealed record SequenceSpec(RecurrentCell Cell, int Steps, int StepInputs, int Hidden, int Outputs, double? RecurrentGain = null) : ModelSpec
{
    /// <inheritdoc/>
    public override int Inputs => Steps * StepInputs;

    /// <inheritdoc/>
    public override int Outputs { get; } = Outputs;

    /// <inheritdoc/>
    public override long ParameterCount
    {
        get
        {
            long rows = (long)Gates * Hidden;
            return rows * (StepInputs + Hidden) + 2 * rows + (long)Hidden * Outputs + Outputs;
        }
    }

    /// <inheritdoc/>
    public override string OutputLayerName => "head";

    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.RecurrentNetwork;

    /// <inheritdoc/>
    public override SequenceNetwork Build(Generator generator)
    {
        if (Steps < 1 || StepInputs < 1 || Hidden < 1 || Outputs < 1 || !Enum.IsDefined(Cell))
        {
            throw new ArgumentOutOfRangeException(nameof(Hidden), Describe(), $"Every size must be at least 1 and the cell known, but the model is {Describe()}.");
        }
        return new SequenceNetwork(Cell, StepInputs, Hidden, Outputs, generator, recurrentGain: RecurrentGain);
    }

    /// <summary>The architecture as written in reports, e.g. <c>rnn 50x2-32-1</c>: cell, steps × step inputs, hidden size, outputs.</summary>
    public override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cell.ToString().ToLowerInvariant()} {Steps}x{StepInputs}-{Hidden}-{Outputs}");

    private int Gates => Cell switch
    {
        RecurrentCell.Lstm => 4,
        RecurrentCell.Gru => 3,
        _ => 1,
    };
}
