using System.Collections.ObjectModel;
using GradClip.Kernels;
using static GradClip.Tests.Kernels.KernelReference;

namespace GradClip.Tests.Kernels;

public class MultiTensorTests
{
    public static TheoryData<double> Powers => PowerData;

    /// <summary>Tensors of mixed sizes, empty ones included, totalling well above the parallel threshold.</summary>
    private static float[][] MixedTensors(int seed)
    {
        int[] sizes = [0, 1, 3, 17, 100, 1000, 4097, 0, 65_536, 7, 100_003, 1024, 0, 33, 250_000, 5, 8192, 1];
        return sizes.Select((n, i) => Values(n, seed + i)).ToArray();
    }

    private static Memory<float>[] Buffers(float[][] tensors) => tensors.Select(t => new Memory<float>(t)).ToArray();

    private static long TotalLength(float[][] tensors) => tensors.Sum(t => (long)t.Length);

    /// <summary>
    /// Checks partials against each buffer's own reduction: bit-identical except for at most one tensor (the one the two
    /// threads split), which must still be close; and the total against the exact reference.
    /// </summary>
    private static void AssertPartialsAndTotal(float[][] tensors, double p, ReadOnlySpan<double> partials, double total, bool split)
    {
        int differing = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            double own = Reductions.PowerSum(tensors[i], p);
            if (!own.Equals(partials[i]))
            {
                differing++;
                Close(own, partials[i], 1e-6, $"partial {i} of {tensors.Length}");
            }
            Close(PowerSum(tensors[i], p), partials[i], p is 1 or 2 ? 1e-6 : 1e-12, $"partial {i}");
        }
        Assert.True(differing <= (split ? 1 : 0), $"{differing} partials differ from their buffer's own reduction");
        double expected = double.IsPositiveInfinity(p)
            ? tensors.Select(t => PowerSum(t, p)).DefaultIfEmpty(0).Max()
            : tensors.Sum(t => PowerSum(t, p));
        Close(expected, total, p is 1 or 2 ? 1e-6 : 1e-12);
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void PowerSums_of_mixed_tensors_above_the_threshold_match_each_buffers_reduction(double p)
    {
        var tensors = MixedTensors(seed: 1);
        Assert.True(TotalLength(tensors) > 2 * MultiTensor.ParallelThreshold);
        var partials = new double[tensors.Length];
        double total = MultiTensor.PowerSums(Buffers(tensors), p, partials);
        AssertPartialsAndTotal(tensors, p, partials, total, split: true);
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void PowerSums_below_the_threshold_are_each_buffers_reduction_summed_in_order(double p)
    {
        var tensors = MixedTensors(seed: 2).Where(t => t.Length < 5000).ToArray();
        Assert.True(TotalLength(tensors) < MultiTensor.ParallelThreshold);
        var partials = new double[tensors.Length];
        double total = MultiTensor.PowerSums(Buffers(tensors), p, partials);
        double expected = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            double own = Reductions.PowerSum(tensors[i], p);
            Assert.Equal(own, partials[i]);
            expected = double.IsPositiveInfinity(p) ? Math.Max(expected, own) : expected + own;
        }
        Assert.Equal(expected, total);
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void Every_split_point_of_small_lists_gives_the_right_partials(double p)
    {
        // A threshold of 1 splits even tiny lists, so the split falls inside tensors, on their boundaries and next to
        // empty tensors; scaling must then touch every element exactly once.
        var random = new Random(3);
        for (int trial = 0; trial < 300; trial++)
        {
            var tensors = Enumerable.Range(0, random.Next(1, 12))
                .Select(i => Values(random.Next(4) == 0 ? 0 : random.Next(1, 60), seed: trial * 100 + i))
                .ToArray();
            var partials = new double[tensors.Length];
            double total = MultiTensor.PowerSums(Buffers(tensors), p, partials, Threading.TwoThreads);
            AssertPartialsAndTotal(tensors, p, partials, total, split: true);

            var expected = tensors.Select(t => t.Select(v => v * 0.75f).ToArray()).ToArray();
            MultiTensor.Scale(Buffers(tensors), 0.75f, Threading.TwoThreads);
            for (int i = 0; i < tensors.Length; i++)
            {
                Assert.Equal(expected[i], tensors[i]);
            }
        }
    }

    [Fact]
    public void A_tensor_straddling_the_split_gets_the_sum_of_both_halves()
    {
        // 10 + 1000 + 10 elements: the split at element 510 cuts the middle tensor at 500.
        var tensors = new[] { Values(10, 4), Values(1000, 5), Values(10, 6) };
        var partials = new double[3];
        double total = MultiTensor.PowerSums(Buffers(tensors), 2, partials, Threading.TwoThreads);
        double halves = Reductions.SumSquares(tensors[1].AsSpan(0, 500)) + Reductions.SumSquares(tensors[1].AsSpan(500));
        Assert.Equal(halves, partials[1]);
        Assert.Equal(Reductions.SumSquares(tensors[0]), partials[0]);
        Assert.Equal(Reductions.SumSquares(tensors[2]), partials[2]);
        Close(partials.Sum(), total, 1e-15);

        MultiTensor.PowerSums(Buffers(tensors), double.PositiveInfinity, partials, Threading.TwoThreads);
        Assert.Equal(Math.Max(Reductions.MaxAbs(tensors[1].AsSpan(0, 500)), Reductions.MaxAbs(tensors[1].AsSpan(500))), partials[1]);
    }

    [Fact]
    public void A_split_on_a_tensor_boundary_between_empty_tensors_is_exact()
    {
        var tensors = new[] { [], Values(500, 7), [], [], Values(500, 8), [] };
        var partials = new double[6];
        MultiTensor.PowerSums(Buffers(tensors), 2, partials, Threading.TwoThreads);
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(Reductions.SumSquares(tensors[i]), partials[i]);
        }
    }

    [Fact]
    public void Empty_lists_and_empty_tensors_give_zero_and_leave_other_partials_alone()
    {
        var partials = new[] { 42.0, 42.0 };
        foreach (double p in KernelReference.Powers)
        {
            Assert.Equal(0, MultiTensor.PowerSums(Array.Empty<Memory<float>>(), p, partials));
            Assert.Equal(0, MultiTensor.PowerSums(new List<Memory<float>>(), p, partials, Threading.TwoThreads));
            Assert.Equal([42.0, 42.0], partials);
            Assert.Equal(0, MultiTensor.PowerSums([Memory<float>.Empty, Memory<float>.Empty], p, partials, Threading.TwoThreads));
            Assert.Equal([0.0, 0.0], partials);
            partials = [42.0, 42.0];
        }
        MultiTensor.Scale(Array.Empty<Memory<float>>(), 2);
        MultiTensor.Clamp([Memory<float>.Empty], -1, 1);
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void Two_calls_are_bit_identical(double p)
    {
        var buffers = Buffers(MixedTensors(seed: 9));
        var first = new double[buffers.Length];
        var second = new double[buffers.Length];
        double a = MultiTensor.PowerSums(buffers, p, first);
        double b = MultiTensor.PowerSums(buffers, p, second);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits(b));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_bits_as_one_caller()
    {
        // Only one caller at a time has the worker thread; the others run both halves themselves, with the same split.
        var buffers = Buffers(MixedTensors(seed: 10));
        var reference = new double[buffers.Length];
        double expected = MultiTensor.PowerSums(buffers, 2, reference, Threading.TwoThreads);
        var results = new double[8][];
        var totals = new double[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                results[k] = new double[buffers.Length];
                totals[k] = MultiTensor.PowerSums(buffers, 2, results[k], Threading.TwoThreads);
                Assert.Equal(expected, totals[k]);
                Assert.Equal(reference, results[k]);
            }
        });
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void The_worker_and_the_caller_compute_the_same_bits_for_the_second_half(double p)
    {
        var buffers = Buffers(MixedTensors(seed: 16));
        var byWorker = new double[buffers.Length];
        var byCaller = new double[buffers.Length];
        double a = MultiTensor.PowerSums(buffers, p, byWorker, Threading.TwoThreads);
        Thread.Sleep(5); // the worker goes to sleep, and a call that may not wake it runs both halves itself
        double b = MultiTensor.PowerSums(buffers, p, byCaller, new Threading(ParallelThreshold: 0, WakeThreshold: long.MaxValue));
        Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits(b));
        Assert.Equal(byWorker, byCaller);
    }

    [Fact]
    public void Arrays_lists_and_other_read_only_lists_give_the_same_bits()
    {
        var buffers = Buffers(MixedTensors(seed: 11));
        var fromArray = new double[buffers.Length];
        var fromList = new double[buffers.Length];
        var fromOther = new double[buffers.Length];
        double a = MultiTensor.PowerSums(buffers, 2, fromArray);
        double b = MultiTensor.PowerSums(buffers.ToList(), 2, fromList);
        double c = MultiTensor.PowerSums(new ReadOnlyCollection<Memory<float>>(buffers), 2, fromOther);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.Equal(fromArray, fromList);
        Assert.Equal(fromArray, fromOther);
    }

    [Theory]
    [MemberData(nameof(Powers))]
    public void Non_finite_values_in_any_tensor_reach_the_total(double p)
    {
        var tensors = MixedTensors(seed: 12);
        var buffers = Buffers(tensors);
        var partials = new double[tensors.Length];
        foreach (int t in new[] { 1, 10, 14, 17 })
        {
            int position = tensors[t].Length - 1;
            float saved = tensors[t][position];
            tensors[t][position] = float.NegativeInfinity;
            Assert.Equal(double.PositiveInfinity, MultiTensor.PowerSums(buffers, p, partials));
            Assert.Equal(double.PositiveInfinity, partials[t]);
            tensors[t][0] = float.NaN;
            Assert.True(double.IsNaN(MultiTensor.PowerSums(buffers, p, partials)));
            Assert.True(double.IsNaN(partials[t]));
            tensors[t][0] = tensors[t].Length == 1 ? saved : Values(1, seed: 12 + t)[0];
            tensors[t] = Values(tensors[t].Length, seed: 12 + t);
            buffers[t] = tensors[t];
        }
    }

    [Fact]
    public void Scale_above_the_threshold_multiplies_every_element_once()
    {
        var tensors = MixedTensors(seed: 13);
        var expected = tensors.Select(t => t.Select(v => v * -0.5f).ToArray()).ToArray();
        MultiTensor.Scale(tensors.Select(t => new Memory<float>(t)).ToList(), -0.5f);
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(expected[i], tensors[i]);
        }
    }

    [Fact]
    public void Clamp_and_ClampAndSumSquares_match_the_per_buffer_kernels()
    {
        var tensors = MixedTensors(seed: 14);
        tensors[5][3] = float.NaN;
        var expected = tensors.Select(t => t.ToArray()).ToArray();
        foreach (var t in expected)
        {
            Updates.Clamp(t, -0.5f, 2);
        }
        var copies = tensors.Select(t => t.ToArray()).ToArray();
        MultiTensor.Clamp(Buffers(copies), -0.5f, 2);
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(expected[i], copies[i]);
        }

        tensors[5][3] = 1;
        expected[5][3] = 1;
        double sum = MultiTensor.ClampAndSumSquares(Buffers(tensors), -0.5f, 2);
        Close(expected.Sum(t => PowerSum(t, 2)), sum, 1e-6);
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(expected[i], tensors[i]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiTensor.Clamp(Buffers(tensors), 1, -1));
    }

    [Fact]
    public void A_transformer_like_mix_of_25_million_floats_is_accurate_to_1e9()
    {
        var sizes = new List<int>();
        for (int layer = 0; layer < 4; layer++)
        {
            sizes.AddRange([2_359_296, 768, 2_359_296, 3072, 768, 768]);
        }
        sizes.AddRange(Enumerable.Repeat(1_000_003, 6));
        var tensors = sizes.Select((n, i) => Uniform(n, seed: 1000 + i)).ToArray();
        var partials = new double[tensors.Length];
        double total = MultiTensor.PowerSums(Buffers(tensors), 2, partials);
        double expected = tensors.Sum(t => PowerSum(t, 2));
        Assert.True(RelativeError(expected, total) < 1e-8, $"relative error {RelativeError(expected, total):E2}");
    }

    [Fact]
    public void Calls_allocate_nothing_once_warm()
    {
        var buffers = Buffers(MixedTensors(seed: 15)).ToList();
        var small = buffers.Where(b => b.Length < 2000).ToArray();
        var partials = new double[buffers.Count];
        void Calls()
        {
            MultiTensor.PowerSums(buffers, 2, partials, Threading.TwoThreads);
            MultiTensor.Scale(buffers, 1f, Threading.TwoThreads);
            MultiTensor.PowerSums(buffers, 2, partials);
            MultiTensor.PowerSums(buffers, double.PositiveInfinity, partials);
            MultiTensor.Scale(buffers, 1f);
            MultiTensor.PowerSums(small, 1, partials);
            MultiTensor.Scale(small, 1f);
            MultiTensor.Clamp(buffers, -10, 10);
        }
        // Each kernel's first hand-over to the worker creates its job object once: do it for every kernel used below.
        foreach (double p in new[] { 1, 2, double.PositiveInfinity })
        {
            MultiTensor.PowerSums(buffers, p, partials, Threading.TwoThreads);
        }
        MultiTensor.Scale(buffers, 1f, Threading.TwoThreads);
        MultiTensor.Clamp(buffers, -10, 10, Threading.TwoThreads);
        Calls();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Calls();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Memory<float>[] two = [new float[3], new float[3]];
        Assert.Throws<ArgumentException>(() => MultiTensor.PowerSums(two, 2, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiTensor.PowerSums(two, 0, new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiTensor.PowerSums(two, double.NaN, new double[2]));
        Assert.Throws<ArgumentNullException>(() => MultiTensor.PowerSums(null!, 2, new double[2]));
        Assert.Throws<ArgumentNullException>(() => MultiTensor.Scale(null!, 2));
    }
}
