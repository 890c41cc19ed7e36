namespace GradClip.Diagnosis;

/// <summary>
/// A short run of a policy-gradient agent clipped at one max_norm: its norms before clipping, its returns, and whether the
/// health check called it healthy.
/// </summary>
/// <param name="MaxNorm">The max_norm the probe was clipped at.</param>
/// <param name="Norms">The total gradient norm of each step, before clipping.</param>
/// <param name="ClipRate">The fraction of the steps that clipping scaled down.</param>
/// <param name="FirstReturn">The mean return of the first epoch.</param>
/// <param name="BestReturn">The highest mean return of an epoch.</param>
/// <param name="FinalReturn">The mean return of the last epoch.</param>
/// <param name="LateReturn">The mean of the epochs' returns over the run's second half: how well the return held.</param>
/// <param name="Healthy">Whether the health check found the run healthy: its return rose and held.</param>
public sealed record ReturnProbe(
    double MaxNorm, IReadOnlyList<double> Norms, double ClipRate, double FirstReturn, double BestReturn, double FinalReturn, double LateReturn, bool Healthy);
