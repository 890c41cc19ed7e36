using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>Applies gradient transforms in order, like optax's <c>chain</c>; stops early when one asks to skip the step.</summary>
public sealed class Chain : IGradientTransform
{
    private readonly IGradientTransform[] _transforms;

    /// <summary>Composes <paramref name="transforms"/>, applied first to last.</summary>
    public Chain(params IGradientTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Length == 0)
        {
            throw new ArgumentException("A chain needs at least one transform.", nameof(transforms));
        }
        for (int i = 0; i < transforms.Length; i++)
        {
            if (transforms[i] is null)
            {
                throw new ArgumentNullException(nameof(transforms), $"Transform {i} of the chain is null.");
            }
        }
        _transforms = (IGradientTransform[])transforms.Clone();
    }

    /// <summary>The transforms, in the order they are applied.</summary>
    public IReadOnlyList<IGradientTransform> Transforms => _transforms;

    /// <summary>
    /// Applies each transform in turn. The combined report takes the norm before, the per-parameter norms and the
    /// non-finite names from the first transform (the raw gradients), the norm after from the last one applied,
    /// and the product of the coefficients.
    /// </summary>
    public ClipReport Apply(IReadOnlyList<Tensor> parameters)
    {
        var first = _transforms[0].Apply(parameters);
        var last = first;
        double coefficient = first.Coefficient;
        bool clipped = first.Clipped;
        for (int i = 1; i < _transforms.Length && !last.SkipStep; i++)
        {
            last = _transforms[i].Apply(parameters);
            coefficient *= last.Coefficient;
            clipped |= last.Clipped;
        }
        return first with { NormAfter = last.NormAfter, Coefficient = coefficient, Clipped = clipped, SkipStep = last.SkipStep };
    }
}
