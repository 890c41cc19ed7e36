using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>A copy of the parameters at the epoch with the lowest finite loss and finite weights, put back at the end of training.</summary>
internal sealed class BestWeights(IReadOnlyList<Tensor> parameters)
{
    private float[][]? _copy;
    private double _loss = double.PositiveInfinity;

    /// <summary>The epoch whose weights are kept, or 0 when no epoch had a finite loss and finite weights.</summary>
    public int Epoch { get; private set; }

    /// <summary>The loss of that epoch (+∞ when none is kept).</summary>
    public double Loss => _loss;

    /// <summary>Copies of the kept weights, shaped as the parameters; null when none is kept.</summary>
    public IReadOnlyList<Tensor>? Export() =>
        _copy?.Select((weights, i) => Tensor.FromArray((float[])weights.Clone(), [.. parameters[i].Shape])).ToList();

    /// <summary>Keeps <paramref name="weights"/> (copied; null for none) as the best, of <paramref name="epoch"/> with <paramref name="loss"/>.</summary>
    public void Import(int epoch, double loss, IReadOnlyList<Tensor>? weights)
    {
        Epoch = epoch;
        _loss = loss;
        _copy = weights?.Select(w => w.ToArray()).ToArray();
    }

    /// <summary>Keeps the current weights when <paramref name="loss"/> is finite and the lowest so far, and every weight is finite.</summary>
    public void Offer(int epoch, double loss)
    {
        if (!(loss < _loss) || !parameters.All(p => AllFinite(p.Span)))
        {
            return;
        }
        _loss = loss;
        Epoch = epoch;
        _copy ??= parameters.Select(p => new float[p.Count]).ToArray();
        for (int i = 0; i < parameters.Count; i++)
        {
            parameters[i].Span.CopyTo(_copy[i]);
        }
    }

    /// <summary>True when no value of <paramref name="values"/> is NaN or ±∞.</summary>
    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Writes the kept weights back into the parameters (nothing when none was kept).</summary>
    public void Restore()
    {
        if (_copy is null)
        {
            return;
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            _copy[i].CopyTo(parameters[i].Span);
        }
    }
}
