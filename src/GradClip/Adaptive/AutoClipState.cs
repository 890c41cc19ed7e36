namespace GradClip.Adaptive;

/// <summary>What <see cref="AutoClip"/> carries from step to step, for a checkpoint: its norm history and latest threshold.</summary>
/// <param name="History">Every finite total norm seen so far, in ascending order.</param>
/// <param name="Threshold">The max_norm used at the latest step (NaN before any finite norm).</param>
public sealed record AutoClipState(IReadOnlyList<double> History, double Threshold);
