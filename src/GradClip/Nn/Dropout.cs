using GradClip.Randomness;
using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>
/// Inverted dropout: in training zeroes each element with probability p and scales the rest by 1/(1 − p); the identity in
/// evaluation. Any shape in, the same shape out. Masks are drawn from the generator given at construction, whose state a
/// checkpoint saves, so that a resumed run draws the masks an uninterrupted one would.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Generator _generator;

    /// <summary>Creates the layer with drop probability <paramref name="p"/> in [0, 1], drawing its masks from <paramref name="generator"/>.</summary>
    public Dropout(float p, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Tensor.RequireProbability(p);
        P = p;
        _generator = generator;
    }

    /// <summary>The generator the masks are drawn from.</summary>
    public Generator Generator => _generator;

    /// <summary>The probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Dropout(P, IsTraining, _generator);
}
