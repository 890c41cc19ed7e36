using System.Collections.Immutable;
using System.Runtime.InteropServices;
using GradClip.Randomness;

namespace GradClip.Data;

/// <summary>The dataset <c>gradclip train</c> uses when given no file: 1000 rows × 10 features, 3 classes, generated from a seed.</summary>
public static class BuiltInData
{
    /// <summary>The number of rows of the default dataset.</summary>
    public const int RowCount = 1000;

    /// <summary>The number of features of the default dataset.</summary>
    public const int FeatureCount = 10;

    /// <summary>The number of classes of the default dataset.</summary>
    public const int ClassCount = 3;

    /// <summary>What <see cref="TabularData.Source"/> says for built-in data.</summary>
    public const string Source = "built-in";

    private const double ShellNoise = 0.2;
    private const double CopyNoise = 0.25;
    private const double ClassShift = 0.45;

    // Each class lies on its own spherical shell in the first three latent dimensions, so that class means coincide there.
    private static readonly double[] ShellRadius = [1.0, 2.0, 3.0];

    // Raw features come on very different scales and offsets, as measured data does, so that standardizing matters.
    private static readonly double[] Scale = [1, 20, 0.05, 300, 2, 0.01, 7, 1000, 0.5, 3];
    private static readonly double[] Offset = [0, 100, -2, 5000, 10, 0.3, -40, 20000, 1, -6];

    /// <summary>Concentric shells: three classes on nested noisy spheres, seen through noisy projections and a weak linear hint.</summary>
    /// <remarks>
    /// Labels cycle 0, 1, 2 over the rows (334, 333, 333), then are shuffled. Per row, with u a random direction in 3-D
    /// and r = radius(class) + N(0, 0.2²) for radii 1, 2, 3: f0..f2 = r·u; f3..f5 = f0..f2 + N(0, 0.25²); f7, f8, f9 =
    /// (f0 + f2)/√2, (f1 − f0)/√2, (f1 + f2)/√2, each + N(0, 0.25²); f6 = 0.45·class + N(0, 1), the only linear signal.
    /// Every feature is then scaled and offset differently. The class means nearly coincide, so a linear rule is little
    /// better than chance, while a nonlinear model reads the radius: on standardized features 7-nearest-neighbours
    /// scores about 0.9 and a 64-32 ReLU network above 0.9 within a few epochs. The same seed gives the same bits on
    /// every machine: the seeded <see cref="Generator"/> (Philox4x32-10) is stable, and only IEEE-exact arithmetic (+, ×, ÷, square root)
    /// turns its draws into features.
    /// </remarks>
    public static TabularData Shells(int seed = 0)
    {
        var random = new Generator(seed);
        int[] labels = new int[RowCount];
        for (int i = 0; i < RowCount; i++)
        {
            labels[i] = i % ClassCount;
        }
        random.Shuffle(labels);
        float[] features = new float[RowCount * FeatureCount];
        Span<double> latent = stackalloc double[FeatureCount];
        for (int row = 0; row < RowCount; row++)
        {
            DrawLatent(random, labels[row], latent);
            for (int j = 0; j < FeatureCount; j++)
            {
                features[row * FeatureCount + j] = (float)(latent[j] * Scale[j] + Offset[j]);
            }
        }
        return TabularData.ForClassification(
            ImmutableCollectionsMarshal.AsImmutableArray(features),
            [.. Enumerable.Range(0, FeatureCount).Select(j => $"f{j}")],
            ImmutableCollectionsMarshal.AsImmutableArray(labels),
            [.. Enumerable.Range(0, ClassCount).Select(c => $"class{c}")],
            new DataDescription("class", Source, "the built-in data is a 3-class problem"));
    }

    private static void DrawLatent(Generator random, int label, Span<double> latent)
    {
        double x = Gaussian(random), y = Gaussian(random), z = Gaussian(random);
        double length = Math.Max(Math.Sqrt(x * x + y * y + z * z), 1e-12);
        double radius = ShellRadius[label] + ShellNoise * Gaussian(random);
        latent[0] = radius * x / length;
        latent[1] = radius * y / length;
        latent[2] = radius * z / length;
        for (int j = 3; j < 6; j++)
        {
            latent[j] = latent[j - 3] + CopyNoise * Gaussian(random);
        }
        latent[6] = ClassShift * label + Gaussian(random);
        latent[7] = (latent[0] + latent[2]) * Math.Sqrt(0.5) + CopyNoise * Gaussian(random);
        latent[8] = (latent[1] - latent[0]) * Math.Sqrt(0.5) + CopyNoise * Gaussian(random);
        latent[9] = (latent[1] + latent[2]) * Math.Sqrt(0.5) + CopyNoise * Gaussian(random);
    }

    /// <summary>An approximately standard normal draw: the sum of 12 uniforms minus 6 (Irwin–Hall).</summary>
    /// <remarks>Only additions of the generator's doubles, no library logarithm or cosine, so the result is bit-identical on every machine.</remarks>
    private static double Gaussian(Generator random)
    {
        double sum = -6.0;
        for (int i = 0; i < 12; i++)
        {
            sum += random.NextDouble();
        }
        return sum;
    }
}
