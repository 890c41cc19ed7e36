using GradClip.Tensors;

namespace GradClip.Nn;

/// <summary>Applies its layers in order; they are registered as <c>0</c>, <c>1</c>, ..., so parameters are named <c>0.weight</c>.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor>[] _layers;

    /// <summary>Creates the container from layers applied first to last.</summary>
    public Sequential(params Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = (Module<Tensor, Tensor>[])layers.Clone();
        for (int i = 0; i < _layers.Length; i++)
        {
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), _layers[i]);
        }
    }

    /// <summary>The layers, first applied first.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Module<Tensor, Tensor> layer in _layers)
        {
            x = layer.Forward(x);
        }
        return x;
    }
}
