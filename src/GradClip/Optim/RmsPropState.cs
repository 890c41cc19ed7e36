namespace GradClip.Optim;

/// <summary>What <see cref="RmsProp"/> keeps for one parameter: its step count and running averages, and how one step advances them.</summary>
public sealed class RmsPropState : ParameterState
{
    private readonly float[] _squareAverage;
    private readonly float[]? _gradientAverage;
    private readonly float[]? _momentumBuffer;

    internal RmsPropState(int length, bool centered, bool withMomentum)
    {
        _squareAverage = new float[length];
        _gradientAverage = centered ? new float[length] : null;
        _momentumBuffer = withMomentum ? new float[length] : null;
    }

    /// <summary>
    /// A state holding copies of the given averages after <paramref name="stepCount"/> steps, as read back from a
    /// checkpoint; <paramref name="gradientAverage"/> is empty when not centered, <paramref name="momentumBuffer"/> without momentum.
    /// </summary>
    /// <exception cref="ArgumentException">A non-empty buffer differs in length from the square average, or the step count is negative.</exception>
    public RmsPropState(int stepCount, ReadOnlySpan<float> squareAverage, ReadOnlySpan<float> gradientAverage, ReadOnlySpan<float> momentumBuffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        if ((gradientAverage.Length != 0 && gradientAverage.Length != squareAverage.Length)
            || (momentumBuffer.Length != 0 && momentumBuffer.Length != squareAverage.Length))
        {
            throw new ArgumentException(
                $"The buffers must have the square average's length {squareAverage.Length} or be empty, but have {gradientAverage.Length} and {momentumBuffer.Length}.",
                nameof(gradientAverage));
        }
        StepCount = stepCount;
        _squareAverage = squareAverage.ToArray();
        _gradientAverage = gradientAverage.Length == 0 ? null : gradientAverage.ToArray();
        _momentumBuffer = momentumBuffer.Length == 0 ? null : momentumBuffer.ToArray();
    }

    /// <inheritdoc/>
    public override int Length => _squareAverage.Length;

    /// <summary>How many steps this parameter has taken.</summary>
    public int StepCount { get; private set; }

    /// <summary>The running average of squared gradients; PyTorch's <c>square_avg</c>.</summary>
    public ReadOnlySpan<float> SquareAverage => _squareAverage;

    /// <summary>The running average of gradients when centered (PyTorch's <c>grad_avg</c>); empty otherwise.</summary>
    public ReadOnlySpan<float> GradientAverage => _gradientAverage;

    /// <summary>The momentum buffer when momentum is used (PyTorch's <c>momentum_buffer</c>); empty otherwise.</summary>
    public ReadOnlySpan<float> MomentumBuffer => _momentumBuffer;

    /// <summary>Whether this state fits a parameter of <paramref name="length"/> elements with the given settings.</summary>
    internal bool Fits(int length, bool centered, bool withMomentum) =>
        Length == length && (_gradientAverage is not null) == centered && (_momentumBuffer is not null) == withMomentum;

    internal RmsPropState Copy() => new(StepCount, _squareAverage, _gradientAverage, _momentumBuffer);

    /// <summary>
    /// One RMSprop step on <paramref name="parameter"/>, centered when this state has a gradient average and with
    /// momentum when it has a momentum buffer (see <see cref="RmsProp"/> for the update).
    /// </summary>
    internal void Advance(
        Span<float> parameter, ReadOnlySpan<float> gradient, double learningRate, double alpha, double epsilon, double weightDecay, double momentum)
    {
        StepCount++;
        float rate = (float)learningRate;
        float keep = (float)alpha;
        float blend = (float)(1 - alpha);
        float eps = (float)epsilon;
        float decay = (float)weightDecay;
        float mu = (float)momentum;
        for (int i = 0; i < parameter.Length; i++)
        {
            float g = gradient[i] + decay * parameter[i];
            _squareAverage[i] = _squareAverage[i] * keep + blend * g * g;
            float meanSquare = _squareAverage[i];
            if (_gradientAverage is not null)
            {
                _gradientAverage[i] += blend * (g - _gradientAverage[i]);
                meanSquare -= _gradientAverage[i] * _gradientAverage[i];
            }
            float normalized = g / (MathF.Sqrt(meanSquare) + eps);
            if (_momentumBuffer is not null)
            {
                _momentumBuffer[i] = _momentumBuffer[i] * mu + normalized;
                parameter[i] -= rate * _momentumBuffer[i];
            }
            else
            {
                parameter[i] -= rate * normalized;
            }
        }
    }
}
