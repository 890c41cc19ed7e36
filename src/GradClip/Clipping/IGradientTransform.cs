using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>One step applied to the parameters' gradients in place (clip, guard, monitor), like an optax gradient transformation.</summary>
/// <remarks>Stateful transforms (adaptive clipping) keep their state in the instance: use one instance per training run.</remarks>
public interface IGradientTransform
{
    /// <summary>Applies the step to the gradients of <paramref name="parameters"/> (those without a gradient are skipped) and reports what it did.</summary>
    ClipReport Apply(IReadOnlyList<Tensor> parameters);
}
