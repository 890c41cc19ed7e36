using GradClip.Diagnosis;

namespace GradClip.Corpus;

/// <summary>A training setup whose health is known by construction, and the verdict kind a correct diagnosis gives it.</summary>
/// <param name="Name">A short name.</param>
/// <param name="Expected">The kind of the verdict the run must be scored by.</param>
/// <param name="Description">What the setup is and why its health is known.</param>
/// <param name="Train">Trains the setup with a seed and a variation and returns the run's trace.</param>
public sealed record Scenario(string Name, HealthKind Expected, string Description, Func<int, Variation, RunTrace> Train)
{
    /// <summary>Trains the scenario as defined with <paramref name="seed"/>.</summary>
    public RunTrace Run(int seed) => Train(seed, Variation.None);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
