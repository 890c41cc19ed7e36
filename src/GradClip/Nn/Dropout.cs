namespace GradClip.Nn;

/// <summary>
/// Inverted dropout: in training zeroes each element with probability p and scales the rest by 1/(1 − p); the identity in
/// evaluation. Any shape in, the same shape out. Masks are drawn from the generator given at construction.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly Random _random;

    /// <summary>Creates the layer with drop probability <paramref name="p"/> in [0, 1].</summary>
    public Dropout(float p, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Tensor.RequireProbability(p);
        P = p;
        _random = random;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Dropout(P, IsTraining, _random);
}
