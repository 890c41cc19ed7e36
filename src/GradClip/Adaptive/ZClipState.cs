namespace GradClip.Adaptive;

/// <summary>What <see cref="ZClip"/> carries from step to step, for a checkpoint: how many norms it has seen and their statistics.</summary>
/// <param name="Steps">How many finite norms have entered the statistics, warm-up included.</param>
/// <param name="Mean">The running mean μ (0 before the first norm).</param>
/// <param name="Variance">The running variance σ² (0 before the first norm).</param>
public sealed record ZClipState(int Steps, double Mean, double Variance);
