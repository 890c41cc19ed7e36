using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Corpus;

/// <summary>
/// Wraps a classifier and, at one training step, shifts every label of the batch to the next class (by rotating the
/// logits' columns, which for cross-entropy is the same): one corrupted batch at a known step, nothing else changed.
/// </summary>
public sealed class BatchFault : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> _inner;
    private readonly Tensor _rotation;
    private int _trainingForwards;

    /// <summary>Corrupts the batch of training step <paramref name="step"/> (from 1) of a classifier over <paramref name="classes"/> classes.</summary>
    public BatchFault(Module<Tensor, Tensor> inner, int classes, int step)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        _inner = RegisterModule("net", inner);
        Step = step;
        var rotation = new float[classes * classes];
        for (int c = 0; c < classes; c++)
        {
            rotation[c * classes + (c + 1) % classes] = 1;
        }
        _rotation = Tensor.FromArray(rotation, classes, classes);
    }

    /// <summary>The training step whose batch is corrupted.</summary>
    public int Step { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var output = _inner.Forward(input);
        if (!IsTraining)
        {
            return output;
        }
        _trainingForwards++;
        return _trainingForwards == Step ? output.MatMul(_rotation) : output;
    }
}
