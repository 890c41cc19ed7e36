namespace GradClip.Optim;

/// <summary>
/// What an optimizer keeps for one parameter between steps; each optimizer has its own kind (<see cref="SgdState"/>,
/// <see cref="AdamState"/>, <see cref="RmsPropState"/>), exported and imported through <see cref="OptimizerState"/>.
/// </summary>
public abstract class ParameterState
{
    private protected ParameterState()
    {
    }

    /// <summary>How many elements the parameter has, and so each of this state's buffers.</summary>
    public abstract int Length { get; }
}
