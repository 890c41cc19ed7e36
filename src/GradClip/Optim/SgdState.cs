namespace GradClip.Optim;

/// <summary>What <see cref="Sgd"/> keeps for one parameter when it uses momentum: the momentum buffer.</summary>
public sealed class SgdState : ParameterState
{
    private readonly float[] _momentumBuffer;

    internal SgdState(int length)
    {
        _momentumBuffer = new float[length];
    }

    /// <summary>A state holding a copy of <paramref name="momentumBuffer"/>, as read back from a checkpoint.</summary>
    public SgdState(ReadOnlySpan<float> momentumBuffer)
    {
        _momentumBuffer = momentumBuffer.ToArray();
    }

    /// <inheritdoc/>
    public override int Length => _momentumBuffer.Length;

    /// <summary>The momentum buffer b, one element per parameter element; PyTorch's <c>momentum_buffer</c>.</summary>
    public ReadOnlySpan<float> MomentumBuffer => _momentumBuffer;

    internal Span<float> WritableMomentumBuffer => _momentumBuffer;

    internal SgdState Copy() => new(_momentumBuffer);
}
