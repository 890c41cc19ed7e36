using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Clipping;

/// <summary>
/// The gradients of a parameter list gathered once, so that a norm pass and a scale pass see the same buffers.
/// One instance per thread is reused, so a clipping step allocates nothing once warm.
/// </summary>
/// <remarks>
/// Gradients that are adjacent views of one storage, in order (as <see cref="Autograd.FlatGradients"/> makes them), are
/// also seen as one range (<see cref="Ranges"/>), so that passes needing no per-gradient result run over it as over one
/// tensor. When an array or list of parameters is exactly those of one <see cref="Autograd.FlatGradients"/>, the check
/// compares references only, and the per-gradient lists are gathered only if something asks for them.
/// </remarks>
internal sealed class GradientSet : IDisposable
{
    [ThreadStatic]
    private static GradientSet? s_cached;

    private readonly List<Memory<float>> _buffers = [];
    private readonly List<Tensor> _owners = [];
    private readonly List<int> _positions = [];
    private readonly Memory<float>[] _whole = new Memory<float>[1];
    private double[] _partials = new double[16];
    private double[] _scales = new double[16];
    private IEnumerable<Tensor>? _ungathered;
    private float[]? _storage;
    private int _start;
    private int _end;
    private bool _adjacent;
    private double _powerScale = 1;
    private string[] _labels = [];
    private int[] _labelPositions = [];
    private bool _labelsUnique;
    private ReadOnlyCollection<string> _sharedLabels = ReadOnlyCollection<string>.Empty;

    /// <summary>The gradient buffers, one per tensor that has a gradient, in parameter order.</summary>
    public List<Memory<float>> Buffers => Gathered()._buffers;

    /// <summary>The tensor each buffer belongs to (the parameter, or the gradient tensor itself).</summary>
    public List<Tensor> Owners => Gathered()._owners;

    /// <summary>Each buffer's position in the sequence it was gathered from, counting entries without gradients.</summary>
    public List<int> Positions => Gathered()._positions;

    /// <summary>Per-buffer power sums from the last <see cref="MeasurePowerSums"/>.</summary>
    public ReadOnlySpan<double> Partials => _partials.AsSpan(0, Buffers.Count);

    /// <summary>
    /// The buffers as few ranges as possible: one when they are adjacent views of one storage, else <see cref="Buffers"/>;
    /// for passes that need no per-buffer result.
    /// </summary>
    public IReadOnlyList<Memory<float>> Ranges => _adjacent ? _whole : Buffers;

    /// <summary>Gathers <c>Grad</c> of every parameter that has one.</summary>
    public static GradientSet OfParameters(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var set = Rent();
        // Arrays and lists are walked as spans: no enumerator and no interface call per parameter.
        ReadOnlySpan<Tensor> span = parameters switch
        {
            Tensor[] array => array,
            List<Tensor> list => CollectionsMarshal.AsSpan(list),
            _ => Autograd.FlatGradients.SpanOfOwnList(parameters),
        };
        if (set.TryFlatGradients(span))
        {
            set._ungathered = parameters;
            return set;
        }
        set.GatherParameters(parameters);
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
                set.Add(gradient, gradient, position);
            }
            position++;
        }
        set.CompleteRanges();
        return set;
    }

    /// <summary>Computes each buffer's Σ|g|^p (max|g| for p = ∞) and returns the total p-norm.</summary>
    public double MeasurePowerSums(double normType)
    {
        int count = Buffers.Count;
        EnsurePartials(count);
        if (_scales.Length < count)
        {
            _scales = new double[_partials.Length];
        }
        double total = Total(Buffers, normType);
        _scales.AsSpan(0, count).Fill(_powerScale);
        if (normType is not (1 or 2 or double.PositiveInfinity))
        {
            RescaleTinyPartials(normType);
        }
        return total;
    }

    /// <summary>
    /// Takes again, relative to its own max|g|, the power sum of each buffer whose sum underflowed (a tensor of 1e-10s next
    /// to one of 1s at p = 50), so that its own norm, <see cref="NormOf(int, double)"/>, is right too; the total is not
    /// affected, since such a sum is far below the others' last bits.
    /// </summary>
    private void RescaleTinyPartials(double normType)
    {
        for (int i = 0; i < Buffers.Count; i++)
        {
            if (_partials[i] >= MinSafePowerSum || !(_partials[i] >= 0))
            {
                continue;
            }
            float max = Reductions.MaxAbs(Buffers[i].Span);
            if (max > 0 && float.IsFinite(max))
            {
                _partials[i] = Reductions.SumAbsPow(Buffers[i].Span, normType, 1.0 / max);
                _scales[i] = max;
            }
        }
    }

    /// <summary>
    /// The total p-norm, in one pass over <see cref="Ranges"/>; <see cref="Partials"/> are not filled. The norm of the
    /// concatenation is the norm of the per-buffer norms, so only the last bits of the sum can differ from
    /// <see cref="MeasurePowerSums"/>, which adds per-buffer sums.
    /// </summary>
    public double MeasureTotalNorm(double normType)
    {
        var ranges = Ranges;
        EnsurePartials(ranges.Count);
        return Total(ranges, normType);
    }

    /// <summary>
    /// The p-norm of <paramref name="buffers"/>, their power sums left in the partials. For an order other than 1, 2 and ∞
    /// whose power sum overflowed or underflowed double (1e16 to the 20th, 1e-10 to the 50th), the sums are taken again
    /// of |g|/max|g|, whose powers cannot, and <see cref="NormOf(int, double)"/> scales the roots back.
    /// </summary>
    private double Total(IReadOnlyList<Memory<float>> buffers, double normType)
    {
        _powerScale = 1;
        double combined = MultiTensor.PowerSums(buffers, normType, _partials);
        if (normType is not (1 or 2 or double.PositiveInfinity) && (double.IsPositiveInfinity(combined) || combined < MinSafePowerSum))
        {
            double max = MultiTensor.PowerSums(buffers, double.PositiveInfinity, _partials);
            if (max > 0 && double.IsFinite(max))
            {
                _powerScale = max;
                combined = MultiTensor.ScaledPowerSums(buffers, normType, 1 / max, _partials);
            }
            else
            {
                combined = MultiTensor.PowerSums(buffers, normType, _partials);
            }
        }
        return _powerScale * NormOf(combined, normType);
    }

    private void EnsurePartials(int count)
    {
        if (_partials.Length < count)
        {
            _partials = new double[Math.Max(count, 2 * _partials.Length)];
        }
    }

    /// <summary>Below this, a power sum may have lost terms to underflow (double's normal range ends near 2.2e-308).</summary>
    private const double MinSafePowerSum = 1e-290;

    /// <summary>
    /// Multiplies every buffer by <paramref name="coefficient"/> in place (a subnormal one without losing it, see
    /// <see cref="MultiTensor.Scale(IReadOnlyList{Memory{float}}, double)"/>).
    /// </summary>
    public void Scale(double coefficient)
    {
        // A coefficient of exactly 1 changes nothing (x · 1 = x, also for NaN and ∞): skip the read+write pass.
        if (coefficient != 1.0)
        {
            MultiTensor.Scale(Ranges, coefficient);
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
    public double NormOf(int index, double normType) => _scales[index] * NormOf(_partials[index], normType);

    /// <summary>Turns a power sum into a norm: its p-th root (the value itself for p = 1 and p = ∞).</summary>
    public static double NormOf(double powerSum, double normType) => normType switch
    {
        1 or double.PositiveInfinity => powerSum,
        2 => Math.Sqrt(powerSum),
        _ => Math.Pow(powerSum, 1 / normType),
    };

    /// <summary>The label used for buffer <paramref name="index"/> in reports: the owner's name, else its position.</summary>
    public string LabelOf(int index) => Owners[index].Name ?? $"#{Positions[index]}";

    /// <summary>
    /// Every buffer's label, in order: the same read-only list as the last call's on this thread while the labels are the
    /// same (a training loop's steps), so that per-step reports can share it; null when two buffers share a label.
    /// </summary>
    /// <remarks>Only the labels are kept between calls, never the tensors, so a set left idle holds no model alive.</remarks>
    public ReadOnlyCollection<string>? Labels()
    {
        if (!LabelsStillFit())
        {
            _labels = new string[Owners.Count];
            _labelPositions = new int[Owners.Count];
            for (int i = 0; i < _labels.Length; i++)
            {
                _labels[i] = LabelOf(i);
                _labelPositions[i] = Owners[i].Name is null ? Positions[i] : -1;
            }
            _labelsUnique = new HashSet<string>(_labels, StringComparer.Ordinal).Count == _labels.Length;
            _sharedLabels = Array.AsReadOnly(_labels);
        }
        return _labelsUnique ? _sharedLabels : null;
    }

    private bool LabelsStillFit()
    {
        var owners = Owners;
        if (_labels.Length != owners.Count)
        {
            return false;
        }
        for (int i = 0; i < _labels.Length; i++)
        {
            string? name = owners[i].Name;
            bool same = name is null ? _labelPositions[i] == Positions[i] : _labelPositions[i] < 0 && (ReferenceEquals(name, _labels[i]) || name == _labels[i]);
            if (!same)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Releases the references to the gradients and returns the instance for reuse on this thread.</summary>
    public void Dispose()
    {
        _buffers.Clear();
        _owners.Clear();
        _positions.Clear();
        _ungathered = null;
        _storage = null;
        _adjacent = false;
        _whole[0] = default;
        s_cached = this;
    }

    private static GradientSet Rent()
    {
        var set = s_cached ?? new GradientSet();
        s_cached = null;
        return set;
    }

    /// <summary>
    /// Whether the parameters are those of one <see cref="Autograd.FlatGradients"/>, all of them in order, with their views
    /// and current gradients; if so <see cref="Ranges"/> is its buffer. Reads the first parameter and the list only.
    /// </summary>
    private bool TryFlatGradients(ReadOnlySpan<Tensor> parameters)
    {
        if (parameters.Length < 2 || parameters[0]?.FlatGradients is not { } flat || !flat.IsWholeAndCurrent(parameters))
        {
            return false;
        }
        _whole[0] = flat.Buffer;
        _adjacent = true;
        return true;
    }

    /// <summary>The instance with its per-gradient lists filled, gathering them now if the flat check skipped them.</summary>
    private GradientSet Gathered()
    {
        if (_ungathered is { } parameters)
        {
            _ungathered = null;
            GatherParameters(parameters);
        }
        return this;
    }

    private void GatherParameters(IEnumerable<Tensor> parameters)
    {
        int position = 0;
        foreach (var parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (parameter.Grad is { } grad)
            {
                RequireFresh(parameter, position);
                Add(grad, parameter, position);
            }
            position++;
        }
        CompleteRanges();
    }

    /// <summary>Throws when the parameter's gradient was computed before the optimizer's last step changed the parameter.</summary>
    private static void RequireFresh(Tensor parameter, int position)
    {
        if (parameter.HasStaleGrad)
        {
            string label = parameter.Name is { } name ? $"parameter {position} '{name}'" : $"parameter {position}";
            throw new InvalidOperationException(
                $"The gradient of {label} was computed before the optimizer's last Step() changed that parameter, so it " +
                "belongs to a step already taken: clipping it now cannot affect that step. Clip between Backward() and Step() " +
                "(loss.Backward(); clip; optimizer.Step(); optimizer.ZeroGrad()).");
        }
    }

    /// <summary>Adds a gradient, following whether it continues the storage range of those before it.</summary>
    private void Add(Tensor gradient, Tensor owner, int position)
    {
        float[] storage = gradient.Storage;
        int offset = gradient.StorageOffset;
        if (_buffers.Count == 0)
        {
            (_storage, _start, _end, _adjacent) = (storage, offset, offset, true);
        }
        _adjacent &= ReferenceEquals(storage, _storage) && offset == _end;
        _end = offset + gradient.Count;
        _buffers.Add(new Memory<float>(storage, offset, gradient.Count));
        _owners.Add(owner);
        _positions.Add(position);
    }

    /// <summary>Sets <see cref="Ranges"/> to one range when there are two or more adjacent buffers.</summary>
    private void CompleteRanges()
    {
        _adjacent &= _buffers.Count > 1;
        if (_adjacent)
        {
            _whole[0] = new Memory<float>(_storage, _start, _end - _start);
        }
    }
}
