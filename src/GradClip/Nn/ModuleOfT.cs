namespace GradClip.Nn;

/// <summary>A module with a typed forward pass from <typeparamref name="TInput"/> to <typeparamref name="TOutput"/>.</summary>
public abstract class Module<TInput, TOutput> : Module
{
    /// <summary>Computes the module's output, recording the graph when gradients are on.</summary>
    public abstract TOutput Forward(TInput input);
}
