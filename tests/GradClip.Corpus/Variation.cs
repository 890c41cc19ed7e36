namespace GradClip.Corpus;

/// <summary>A change to a scenario's setup that must not change its label: the learning rate, the model's width, the data.</summary>
/// <param name="Name">How the benchmark names it.</param>
/// <param name="LearningRateScale">The factor on the scenario's learning rate.</param>
/// <param name="WidthScale">The factor on every hidden width.</param>
/// <param name="DataSeed">Added to the run's seed to draw the data, so that the data differs while the model's draw does not.</param>
public sealed record Variation(string Name, double LearningRateScale = 1, double WidthScale = 1, int DataSeed = 0)
{
    /// <summary>The scenario as defined.</summary>
    public static Variation None { get; } = new("as defined");

    /// <summary>The variations the benchmark runs besides the scenario as defined.</summary>
    public static IReadOnlyList<Variation> All { get; } =
    [
        new("lr ×0.5", LearningRateScale: 0.5),
        new("lr ×2", LearningRateScale: 2),
        new("width ×0.5", WidthScale: 0.5),
        new("width ×2", WidthScale: 2),
        new("other data", DataSeed: 1000),
    ];

    /// <summary>A hidden width scaled by <see cref="WidthScale"/>, at least 2.</summary>
    public int Width(int width) => Math.Max(2, (int)Math.Round(width * WidthScale));
}
