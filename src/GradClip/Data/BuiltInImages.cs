using System.Collections.Immutable;
using System.Globalization;
using GradClip.Randomness;

namespace GradClip.Data;

/// <summary>
/// Small noisy pictures of four shapes, generated from a seed: 16×16 single-channel images in [0, 1] plus noise, as flat
/// rows (pixel <c>p{y}_{x}</c> at column y·16 + x), for the built-in convolutional task.
/// </summary>
public static class BuiltInImages
{
    /// <summary>The images' height and width.</summary>
    public const int Side = 16;

    /// <summary>The shapes, by class index.</summary>
    public static ImmutableArray<string> Shapes { get; } = ["horizontal bar", "vertical bar", "square", "cross"];

    /// <summary>What <see cref="TabularData.Source"/> says for the images.</summary>
    public const string Source = "built-in images";

    private const double Noise = 0.35;

    /// <summary>
    /// <paramref name="rows"/> images, classes cycling 0 … 3: a shape of random size (4 to 9 pixels) and position drawn
    /// at intensity 0.6–1, with Gaussian noise of σ 0.35 on every pixel; every draw from a <see cref="Generator"/> seeded
    /// with <paramref name="seed"/>, so the same seed gives the same images on every machine.
    /// </summary>
    public static TabularData Generate(int seed, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        var generator = new Generator(seed);
        var features = new float[rows * Side * Side];
        var labels = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            labels[row] = row % Shapes.Length;
            Span<float> image = features.AsSpan(row * Side * Side, Side * Side);
            Draw(labels[row], image, generator);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] += (float)(Noise * Normal(generator));
            }
        }
        return TabularData.ForClassification(
            [.. features],
            [.. Enumerable.Range(0, Side * Side).Select(i => string.Create(CultureInfo.InvariantCulture, $"p{i / Side}_{i % Side}"))],
            [.. labels],
            Shapes,
            new DataDescription("shape", Source, "one of four shapes in each noisy 16×16 image"));
    }

    private static void Draw(int shape, Span<float> image, Generator generator)
    {
        int size = 4 + generator.Next(6);
        int top = generator.Next(Side - size + 1);
        int left = generator.Next(Side - size + 1);
        float intensity = 0.6f + 0.4f * (float)generator.NextDouble();
        for (int y = top; y < top + size; y++)
        {
            for (int x = left; x < left + size; x++)
            {
                if (Covers(shape, y - top, x - left, size))
                {
                    image[y * Side + x] = intensity;
                }
            }
        }
    }

    /// <summary>Whether the pixel at (<paramref name="y"/>, <paramref name="x"/>) of a size×size box belongs to the shape.</summary>
    private static bool Covers(int shape, int y, int x, int size)
    {
        int middle = size / 2;
        return shape switch
        {
            0 => y == middle || y == middle - 1,
            1 => x == middle || x == middle - 1,
            2 => y == 0 || x == 0 || y == size - 1 || x == size - 1,
            _ => x == y || x == size - 1 - y,
        };
    }

    private static double Normal(Generator generator)
    {
        double u = 1.0 - generator.NextDouble();
        double v = generator.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
