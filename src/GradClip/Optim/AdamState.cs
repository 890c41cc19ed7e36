namespace GradClip.Optim;

/// <summary>
/// What <see cref="Adam"/> and <see cref="AdamW"/> keep for one parameter: its own step count and the moment
/// estimates, and how one step advances them.
/// </summary>
public sealed class AdamState : ParameterState
{
    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly float[]? _maxSecondMoment;

    internal AdamState(int length, bool amsGrad)
    {
        _firstMoment = new float[length];
        _secondMoment = new float[length];
        _maxSecondMoment = amsGrad ? new float[length] : null;
    }

    /// <summary>
    /// A state holding copies of the given moments after <paramref name="stepCount"/> steps, as read back from a
    /// checkpoint; <paramref name="maxSecondMoment"/> is empty without AMSGrad.
    /// </summary>
    /// <exception cref="ArgumentException">The moments differ in length, or the step count is negative.</exception>
    public AdamState(int stepCount, ReadOnlySpan<float> firstMoment, ReadOnlySpan<float> secondMoment, ReadOnlySpan<float> maxSecondMoment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if (secondMoment.Length != firstMoment.Length || (maxSecondMoment.Length != 0 && maxSecondMoment.Length != firstMoment.Length))
        {
            throw new ArgumentException(
                $"The moments must have one length (the AMSGrad maximum may be empty), but have {firstMoment.Length}, {secondMoment.Length} and {maxSecondMoment.Length}.",
                nameof(secondMoment));
        }
        StepCount = stepCount;
        _firstMoment = firstMoment.ToArray();
        _secondMoment = secondMoment.ToArray();
        _maxSecondMoment = maxSecondMoment.Length == 0 ? null : maxSecondMoment.ToArray();
    }

    /// <inheritdoc/>
    public override int Length => _firstMoment.Length;

    /// <summary>How many steps this parameter has taken; the bias corrections use it.</summary>
    public int StepCount { get; private set; }

    /// <summary>The first moment m, the running average of gradients; PyTorch's <c>exp_avg</c>.</summary>
    public ReadOnlySpan<float> FirstMoment => _firstMoment;

    /// <summary>The second moment v, the running average of squared gradients; PyTorch's <c>exp_avg_sq</c>.</summary>
    public ReadOnlySpan<float> SecondMoment => _secondMoment;

    /// <summary>The largest v seen per element with AMSGrad (PyTorch's <c>max_exp_avg_sq</c>); empty without it.</summary>
    public ReadOnlySpan<float> MaxSecondMoment => _maxSecondMoment;

    /// <summary>Whether this state fits a parameter of <paramref name="length"/> elements, with AMSGrad or without.</summary>
    internal bool Fits(int length, bool amsGrad) => Length == length && (amsGrad ? MaxSecondMoment.Length == length : _maxSecondMoment is null);

    internal AdamState Copy() => new(StepCount, _firstMoment, _secondMoment, _maxSecondMoment);

    /// <summary>
    /// One Adam step on <paramref name="parameter"/>, with <paramref name="l2WeightDecay"/>·p added to the gradient:
    /// m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε),
    /// where v is replaced by its running maximum with AMSGrad.
    /// </summary>
    internal void Advance(
        Span<float> parameter, ReadOnlySpan<float> gradient, double learningRate, double beta1, double beta2, double epsilon, double l2WeightDecay)
    {
        StepCount++;
        // The bias corrections are scalars, computed in double as PyTorch computes them in Python floats.
        float stepSize = (float)(learningRate / (1 - Math.Pow(beta1, StepCount)));
        float secondBiasCorrectionRoot = (float)Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        float firstWeight = (float)(1 - beta1);
        float secondDecay = (float)beta2;
        float secondWeight = (float)(1 - beta2);
        float eps = (float)epsilon;
        float decay = (float)l2WeightDecay;
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = gradient[i] + decay * parameter[i];
            // m moves toward g by (1 − β1), the form of PyTorch's lerp_; equal to β1·m + (1 − β1)·g.
            _firstMoment[i] += firstWeight * (g - _firstMoment[i]);
            _secondMoment[i] = _secondMoment[i] * secondDecay + secondWeight * g * g;
            float second = _secondMoment[i];
            if (_maxSecondMoment is not null)
            {
                second = _maxSecondMoment[i] = MathF.Max(_maxSecondMoment[i], second);
            }
            float denominator = MathF.Sqrt(second) / secondBiasCorrectionRoot + eps;
            parameter[i] -= stepSize * (_firstMoment[i] / denominator);
        }
    }
}
