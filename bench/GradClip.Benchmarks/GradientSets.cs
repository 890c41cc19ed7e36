namespace GradClip.Benchmarks;

/// <summary>The gradient sets the clipping benchmarks run on, allocated once per benchmark case.</summary>
public enum GradientSet
{
    /// <summary>(a) One buffer of 64 Mi floats (256 MiB, far beyond the caches).</summary>
    OneBuffer64Mi,

    /// <summary>(b) 100 tensors like a transformer's: three of 4 Mi floats, twelve of 1 Mi, 85 biases of 1 Ki (25.3 M floats).</summary>
    Transformer25M,

    /// <summary>(c) 10,000 tensors of 100 floats (4 MB, cache-resident between calls).</summary>
    Small10000x100,

    /// <summary>(c) the same 1,000,000 floats as one buffer.</summary>
    Small1MAsOne,
}

internal static class GradientSets
{
    public static int[] Sizes(GradientSet set) => set switch
    {
        GradientSet.OneBuffer64Mi => [64 << 20],
        GradientSet.Transformer25M => TransformerSizes(),
        GradientSet.Small10000x100 => Enumerable.Repeat(100, 10_000).ToArray(),
        GradientSet.Small1MAsOne => [1_000_000],
        _ => throw new ArgumentOutOfRangeException(nameof(set)),
    };

    /// <summary>An embedding, twelve layers of one 1 Mi weight and seven 1 Ki biases/norm parameters, two 4 Mi heads, one more bias.</summary>
    private static int[] TransformerSizes()
    {
        var sizes = new List<int> { 4 << 20 };
        for (int layer = 0; layer < 12; layer++)
        {
            sizes.Add(1 << 20);
            sizes.AddRange(Enumerable.Repeat(1024, 7));
        }
        sizes.AddRange([4 << 20, 4 << 20, 1024]);
        return [.. sizes];
    }

    /// <summary>Seeded gradient-like values, uniform in [-scale, scale).</summary>
    public static float[] Fill(int length, int seed, float scale = 1e-2f)
    {
        var random = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = scale * (2 * random.NextSingle() - 1);
        }
        return data;
    }

    public static List<Memory<float>> Allocate(GradientSet set) =>
        Sizes(set).Select((n, i) => new Memory<float>(Fill(n, seed: i))).ToList();
}
