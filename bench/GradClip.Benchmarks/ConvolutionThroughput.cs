using System.Diagnostics;
using System.Globalization;
using GradClip.Kernels;
using GradClip.Tensors;

namespace GradClip.Benchmarks;

/// <summary>
/// Conv2d's throughput against the GEMM it runs on (console mode <c>conv-gflops</c>): for the cnn task's layer shapes at
/// its batch of 16, the best of several timed calls of the forward pass and of forward + backward, counted as the convolution's
/// multiply-adds (2·N·H'·W'·O·C·k² flops forward, three times that with the backward's two products), beside one
/// <see cref="Gemm.Multiply(ReadOnlyMemory{float}, ReadOnlyMemory{float}, Memory{float}, int, int, int, bool, bool, bool)"/>
/// of the same m × k × n. The gap is im2col, col2im and the layout copies.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/GradClip.Benchmarks -- conv-gflops [repeats]</c>.</remarks>
public static class ConvolutionThroughput
{
    private static readonly (int Channels, int OutChannels, int Side)[] Layers = [(1, 8, 16), (8, 8, 16), (8, 16, 8), (16, 16, 8), (16, 16, 4)];

    private const int Batch = 16;

    /// <summary>Times every layer shape and prints one line each; returns 0.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        int repeats = arguments.Count > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 20;
        Console.WriteLine("layer (N, C, H, W) → O, 3x3 pad 1     conv fwd GFLOP/s   conv fwd+bwd GFLOP/s   GEMM (same m·k·n) GFLOP/s");
        foreach (var (channels, outChannels, side) in Layers)
        {
            var random = new Random(1);
            Tensor input = Tensor.Randn(random, Batch, channels, side, side);
            Tensor weight = Tensor.Randn(random, outChannels, channels, 3, 3);
            Tensor bias = Tensor.Zeros(outChannels);
            weight.RequiresGrad = true;
            input.RequiresGrad = true;
            int m = Batch * side * side, k = channels * 9, n = outChannels;
            double flops = 2.0 * m * k * n;
            double forward = Best(repeats, () =>
            {
                using var _ = Tensor.NoGrad();
                Tensor.Conv2d(input, weight, bias, padding: 1);
            });
            double both = Best(repeats, () =>
            {
                Tensor.Conv2d(input, weight, bias, padding: 1).Sum().Backward();
                input.Grad = null;
                weight.Grad = null;
            });
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            double gemm = Best(repeats, () => Gemm.Multiply(a.AsMemory(), b.AsMemory(), c.AsMemory(), m, k, n));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"({Batch}, {channels,2}, {side,2}, {side,2}) → {outChannels,2}  {flops,8:E2} flops  {flops / forward / 1e9,12:F2}  {3 * flops / both / 1e9,20:F2}  {flops / gemm / 1e9,22:F2}"));
        }
        return 0;
    }

    private static double Best(int repeats, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
