using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using GradClip.Randomness;

namespace GradClip.Data;

/// <summary>
/// Long sequences whose target is an exponentially decaying sum of their values: a memory task a recurrent network can
/// learn in seconds, over enough steps that its gradients explode when its recurrent weights are large.
/// </summary>
/// <remarks>
/// Per row: values x_t uniform in [−0.5, 0.5) for t = 0 … steps−1 and target y = Σ_t decay^(steps−1−t)·x_t, so the last
/// steps matter most and the first ones hardly at all. A row holds the values in step order, one feature per step.
/// Predicting 0 scores a mean squared error of (1/12)/(1 − decay²), the target's variance (≈ 0.231 for decay 0.8).
/// The gradient of the first steps passes through every later step, which is why it explodes or vanishes.
/// </remarks>
public static class DecayingSum
{
    /// <summary>The features of each step: its value.</summary>
    public const int StepInputs = 1;

    /// <summary>What <see cref="TabularData.Source"/> says for this data.</summary>
    public const string Source = "built-in decaying sum";

    /// <summary>The mean squared error of always predicting 0 (the target's variance): the score of a model that learned nothing.</summary>
    public static double ChanceMse(double decay) => 1.0 / 12 / (1 - decay * decay);

    /// <summary>Generates <paramref name="rows"/> sequences of <paramref name="steps"/> values from <paramref name="seed"/>.</summary>
    public static TabularData Generate(int seed, int rows, int steps, double decay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(decay >= 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, $"The decay must be in [0, 1), but was {decay}.");
        }
        var random = new Generator(seed);
        float[] features = new float[rows * steps];
        float[] targets = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int t = 0; t < steps; t++)
            {
                float value = (float)(random.NextDouble() - 0.5);
                features[row * steps + t] = value;
                sum = decay * sum + value;
            }
            targets[row] = (float)sum;
        }
        return TabularData.ForRegression(
            ImmutableCollectionsMarshal.AsImmutableArray(features),
            [.. Enumerable.Range(0, steps).Select(t => string.Create(CultureInfo.InvariantCulture, $"x_{t}"))],
            ImmutableCollectionsMarshal.AsImmutableArray(targets),
            new DataDescription("y", Source, "the decaying sum's target is a number"));
    }
}
