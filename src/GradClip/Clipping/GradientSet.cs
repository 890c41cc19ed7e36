using GradClip.Kernels;

namespace GradClip.Clipping;

/// <summary>
/// The gradients of a parameter list gathered once, so that a norm pass and a scale pass see the same buffers.
/// One instance per thread is reused, so a clipping step allocates nothing once warm.
/// </summary>
internal sealed class GradientSet : IDisposable
{
    [ThreadStatic]
    private static GradientSet? s_cached;

    private double[] _partials = new double[16];

    /// <summary>The gradient buffers, one per tensor that has a gradient, in parameter order.</summary>
    public List<Memory<float>> Buffers { get; } = [];

    /// <summary>The tensor each buffer belongs to (the parameter, or the gradient tensor itself).</summary>
    public List<Tensor> Owners { get; } = [];

    /// <summary>Each buffer's position in the sequence it was gathered from, counting entries without gradients.</summary>
    public List<int> Positions { get; } = [];

    /// <summary>Per-buffer power sums from the last <see cref="MeasurePowerSums"/>.</summary>
    public ReadOnlySpan<double> Partials => _partials.AsSpan(0, Buffers.Count);

    /// <summary>Gathers <c>Grad</c> of every parameter that has one.</summary>
    public static GradientSet OfParameters(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var set = Rent();
        int position = 0;
        foreach (var parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (parameter.Grad is { } grad)
            {
                set.Add(grad.Memory, parameter, position);
            }
            position++;
        }
        return set;
    }

    /// <summary>Gathers every non-null tensor of a gradient list.</summary>
    public static GradientSet OfGradients(IEnumerable<Tensor?> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        var set = Rent();
        int position = 0;
        foreach (var gradient in gradients)
        {
            if (gradient is not null)
            {
                set.Add(gradient.Memory, gradient, position);
            }
            position++;
        }
        return set;
    }

    /// <summary>Computes each buffer's Σ|g|^p (max|g| for p = ∞) and returns the total p-norm.</summary>
    public double MeasurePowerSums(double normType)
    {
        if (_partials.Length < Buffers.Count)
        {
            _partials = new double[Math.Max(Buffers.Count, 2 * _partials.Length)];
        }
        double combined = MultiTensor.PowerSums(Buffers, normType, _partials);
        return NormOf(combined, normType);
    }

    /// <summary>The smallest positive normal float32, 2⁻¹²⁶.</summary>
    private const double SmallestNormalFloat = 1.1754943508222875e-38;

    /// <summary>
    /// Multiplies every buffer by <paramref name="coefficient"/> in place. A coefficient below float32's normal range
    /// (a norm beyond ~1e38 × the limit, reachable since norms are measured in double) would lose its precision or flush
    /// to zero when cast, so it is applied as two factors of its square root.
    /// </summary>
    public void Scale(double coefficient)
    {
        if (coefficient < SmallestNormalFloat && coefficient > 0)
        {
            float root = (float)Math.Sqrt(coefficient);
            MultiTensor.Scale(Buffers, root);
            MultiTensor.Scale(Buffers, root);
        }
        else
        {
            MultiTensor.Scale(Buffers, (float)coefficient);
        }
    }

    /// <summary>
    /// The common end of a clip by total norm: scales every buffer by <paramref name="coefficient"/> when it is below 1
    /// (or NaN, which PyTorch spreads), and reports the step; the norm after is before × coefficient, with no second pass.
    /// </summary>
    public ClipReport ScaleAndReport(double normBefore, double coefficient, double normType)
    {
        bool clipped = !(coefficient >= 1);
        if (clipped)
        {
            Scale(coefficient);
        }
        return new ClipReport(normBefore, clipped ? normBefore * coefficient : normBefore, clipped ? coefficient : 1, clipped,
            GradientMeasure.ParameterNorms(this, normType), GradientMeasure.NonFiniteLabels(this), SkipStep: false);
    }

    /// <summary>The norm of buffer <paramref name="index"/> from its power sum.</summary>
    public double NormOf(int index, double normType) => NormOf(_partials[index], normType);

    /// <summary>Turns a power sum into a norm: its p-th root (the value itself for p = 1 and p = ∞).</summary>
    public static double NormOf(double powerSum, double normType) => normType switch
    {
        1 or double.PositiveInfinity => powerSum,
        2 => Math.Sqrt(powerSum),
        _ => Math.Pow(powerSum, 1 / normType),
    };

    /// <summary>The label used for buffer <paramref name="index"/> in reports: the owner's name, else its position.</summary>
    public string LabelOf(int index) => Owners[index].Name ?? $"#{Positions[index]}";

    /// <summary>Releases the references to the gradients and returns the instance for reuse on this thread.</summary>
    public void Dispose()
    {
        Buffers.Clear();
        Owners.Clear();
        Positions.Clear();
        s_cached = this;
    }

    private static GradientSet Rent()
    {
        var set = s_cached ?? new GradientSet();
        s_cached = null;
        return set;
    }

    private void Add(Memory<float> buffer, Tensor owner, int position)
    {
        Buffers.Add(buffer);
        Owners.Add(owner);
        Positions.Add(position);
    }
}
