using GradClip.Kernels;

namespace GradClip.Tests.Kernels;

public class GemmTests
{
    private static readonly GemmVectorWidth[] AllWidths = [GemmVectorWidth.Bits512, GemmVectorWidth.Bits256, GemmVectorWidth.Bits128];

    public static TheoryData<bool, bool> TransposeCombinations => new()
    {
        { false, false },
        { true, false },
        { false, true },
        { true, true },
    };

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void Matches_the_double_reference_for_every_m_and_n_up_to_40_on_every_vector_width(bool transposeA, bool transposeB)
    {
        foreach (int k in new[] { 1, 7, 33 })
        {
            for (int m = 1; m <= 40; m++)
            {
                for (int n = 1; n <= 40; n++)
                {
                    var problem = new Problem(m, k, n, transposeA, transposeB, seed: m * 1000 + n * 10 + k);
                    foreach (GemmVectorWidth width in AllWidths)
                    {
                        problem.Check(accumulate: false, width);
                        problem.Check(accumulate: true, width);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void Matches_the_double_reference_around_block_edges_through_spans_and_memory(bool transposeA, bool transposeB)
    {
        // Tile edges (12×32, 6×16, 6×8), 256-step blocks, 512-column blocks, operands past the 64 Ki-float limit
        // under which they are read in place instead of packed (100×700), narrow products computed as Cᵀ
        // (127×129×1, 129×300×5, 32×32×3), and the default network's layers (32×64×32, 64×32×10, 3×32×32).
        (int M, int K, int N)[] shapes =
        [
            (63, 64, 65), (64, 65, 63), (65, 63, 64), (127, 129, 1), (1, 257, 129), (129, 255, 127),
            (11, 513, 33), (13, 256, 31), (5, 3, 770), (2, 40, 1537), (100, 700, 100), (129, 300, 5),
            (32, 32, 3), (32, 64, 32), (64, 32, 10), (3, 32, 32),
        ];
        foreach ((int m, int k, int n) in shapes)
        {
            var problem = new Problem(m, k, n, transposeA, transposeB, seed: m + k + n);
            CheckThroughSpansAndMemoryOnEveryWidth(problem);
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void Matches_the_double_reference_above_the_threading_threshold_through_spans_and_memory(bool transposeA, bool transposeB)
    {
        // Each has m·k·n above 2²¹, from which the driver wakes its worker thread if it sleeps. The rows split unevenly
        // between the two threads: one sliver each (24 rows), a partial last sliver for the worker (37, 131), an odd
        // number of slivers (61 rows: 6 of 12 rows and 11 of 6), and blocks of 256 steps and 512 columns crossed
        // (61×257×541).
        (int M, int K, int N)[] shapes = [(24, 600, 600), (37, 480, 480), (61, 257, 541), (131, 301, 223), (300, 160, 180)];
        foreach ((int m, int k, int n) in shapes)
        {
            var problem = new Problem(m, k, n, transposeA, transposeB, seed: m * k);
            CheckThroughSpansAndMemoryOnEveryWidth(problem);
        }
    }

    [Fact]
    public void Large_products_from_two_threads_at_once_are_both_right()
    {
        // Only one caller at a time holds the worker thread; the other computes both halves itself.
        var first = new Problem(131, 301, 223, false, true, seed: 1);
        var second = new Problem(300, 160, 180, true, false, seed: 2);

        Parallel.Invoke(
            () => RepeatChecks(first),
            () => RepeatChecks(second));

        static void RepeatChecks(Problem problem)
        {
            for (int i = 0; i < 10; i++)
            {
                problem.CheckThroughMemory(accumulate: i % 2 == 1, Gemm.WidestAccelerated);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void Spans_and_memory_give_bit_identical_results_on_both_sides_of_the_threading_threshold(bool transposeA, bool transposeB)
    {
        foreach ((int m, int k, int n) in new[] { (37, 29, 41), (131, 301, 223) })
        {
            var problem = new Problem(m, k, n, transposeA, transposeB, seed: 5);
            float[] throughSpans = new float[m * n];
            float[] throughMemory = new float[m * n];
            Gemm.Multiply(problem.A.AsSpan(), problem.B.AsSpan(), throughSpans.AsSpan(), m, k, n, transposeA, transposeB);
            Gemm.Multiply(problem.A.AsMemory(), problem.B.AsMemory(), throughMemory.AsMemory(), m, k, n, transposeA, transposeB);
            Assert.Equal(throughSpans, throughMemory);
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void A_batch_gives_each_products_bits_on_one_thread_and_two(bool transposeA, bool transposeB)
    {
        // 512 small products (1.2 M multiply-adds in all: shared out whole, waking the worker) and 3 large ones (each
        // sharing its own rows).
        foreach ((int batch, int m, int k, int n) in new[] { (512, 13, 16, 11), (3, 131, 67, 129) })
        {
            Problem[] problems = [.. Enumerable.Range(0, batch).Select(i => new Problem(m, k, n, transposeA, transposeB, seed: 11 + i))];
            float[] a = [.. problems.SelectMany(p => p.A)];
            float[] b = [.. problems.SelectMany(p => p.B)];
            float[] oneByOne = new float[batch * m * n];
            for (int i = 0; i < batch; i++)
            {
                Gemm.Multiply(problems[i].A, problems[i].B, oneByOne.AsSpan(i * m * n, m * n), m, k, n, transposeA, transposeB);
            }
            int saved = Threads.NumThreads;
            try
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Threads.NumThreads = threads;
                    float[] batched = new float[batch * m * n];
                    Gemm.MultiplyBatched(a, b, batched, batch, m, k, n, transposeA, transposeB);
                    Assert.Equal(oneByOne, batched);
                }
            }
            finally
            {
                Threads.NumThreads = saved;
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombinations))]
    public void Repeated_calls_give_bit_identical_results(bool transposeA, bool transposeB)
    {
        foreach ((int m, int k, int n) in new[] { (37, 29, 41), (131, 301, 223) })
        {
            var problem = new Problem(m, k, n, transposeA, transposeB, seed: 7);
            float[] first = new float[m * n];
            float[] second = new float[m * n];
            Gemm.Multiply(problem.A, problem.B, first, m, k, n, transposeA, transposeB);
            Gemm.Multiply(problem.A, problem.B, second, m, k, n, transposeA, transposeB);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void Leaves_elements_of_C_past_m_times_n_untouched()
    {
        var problem = new Problem(13, 17, 35, false, false, seed: 3);
        float[] c = Enumerable.Repeat(42f, 13 * 35 + 5).ToArray();

        Gemm.Multiply(problem.A, problem.B, c, 13, 17, 35);

        Assert.Equal(Enumerable.Repeat(42f, 5), c[(13 * 35)..]);
    }

    [Fact]
    public void Zero_k_zeroes_C_unless_accumulating()
    {
        float[] c = [1, 2, 3, 4, 5, 6, 7];

        Gemm.Multiply([], [], c, 2, 0, 3, accumulate: true);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7], c);

        Gemm.Multiply([], [], c, 2, 0, 3);
        Assert.Equal([0f, 0, 0, 0, 0, 0, 7], c);
    }

    [Theory]
    [InlineData(0, 4, 3)]
    [InlineData(3, 4, 0)]
    [InlineData(0, 0, 0)]
    public void Zero_m_or_n_does_nothing(int m, int k, int n)
    {
        float[] c = [9, 9];

        Gemm.Multiply(new float[m * k], new float[k * n], c, m, k, n);

        Assert.Equal([9f, 9], c);
    }

    [Theory]
    [InlineData(11, 20, 15, "a", "11", "12")]
    [InlineData(12, 19, 15, "b", "19", "20")]
    [InlineData(12, 20, 14, "c", "14", "15")]
    public void Too_short_spans_are_rejected_with_the_sizes_in_the_message(
        int aLength, int bLength, int cLength, string name, string length, string needed)
    {
        var ex = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(new float[aLength], new float[bLength], new float[cLength], 3, 4, 5));

        Assert.Equal(name, ex.ParamName);
        Assert.Contains($"holds {length} elements", ex.Message);
        Assert.Contains($"needs {needed}", ex.Message);
        Assert.Contains("m = 3, k = 4, n = 5", ex.Message);
    }

    [Fact]
    public void Negative_sizes_are_rejected_by_name()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply([], [], new float[1], 1, -2, 1));
        Assert.Equal("k", ex.ParamName);
        Assert.Contains("-2", ex.Message);
    }

    /// <summary>Checks a problem through both overloads, overwriting and accumulating, on every vector width.</summary>
    /// <remarks>
    /// Memory goes first: the packing buffers are reused between calls, and a span call with the same B would leave
    /// them holding what a faulty packing path in the memory call failed to write.
    /// </remarks>
    private static void CheckThroughSpansAndMemoryOnEveryWidth(Problem problem)
    {
        foreach (GemmVectorWidth width in AllWidths)
        {
            problem.CheckThroughMemory(accumulate: false, width);
            problem.CheckThroughMemory(accumulate: true, width);
            problem.Check(accumulate: false, width);
            problem.Check(accumulate: true, width);
        }
    }

    /// <summary>Random operands in the requested storage order, with the product computed in double by a triple loop.</summary>
    private sealed class Problem
    {
        /// <summary>The gap between 1 and the next float, 2⁻²³: twice the unit roundoff, so the bound has a factor 2 to spare.</summary>
        private const double FloatEpsilon = 1.0 / (1 << 23);

        private readonly int _m;
        private readonly int _k;
        private readonly int _n;
        private readonly bool _transposeA;
        private readonly bool _transposeB;
        private readonly float[] _initialC;
        private readonly double[] _product;
        private readonly double[] _magnitude;

        public Problem(int m, int k, int n, bool transposeA, bool transposeB, int seed)
        {
            (_m, _k, _n, _transposeA, _transposeB) = (m, k, n, transposeA, transposeB);
            var random = new Random(seed);
            A = RandomValues(random, m * k);
            B = RandomValues(random, k * n);
            _initialC = RandomValues(random, m * n);
            _product = new double[m * n];
            _magnitude = new double[m * n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    double magnitude = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double term = (double)(transposeA ? A[p * m + i] : A[i * k + p]) * (transposeB ? B[j * k + p] : B[p * n + j]);
                        sum += term;
                        magnitude += Math.Abs(term);
                    }
                    _product[i * n + j] = sum;
                    _magnitude[i * n + j] = magnitude;
                }
            }
        }

        public float[] A { get; }

        public float[] B { get; }

        /// <summary>
        /// Runs the product and compares every element with the reference, within (k + 2) float roundings of the
        /// sum of |terms| (the classic bound for a float dot product, plus one rounding for the addition to C).
        /// </summary>
        public void Check(bool accumulate, GemmVectorWidth width)
        {
            // Without accumulate, C starts as NaN: any element read instead of overwritten shows up.
            float[] c = accumulate ? (float[])_initialC.Clone() : Enumerable.Repeat(float.NaN, _m * _n).ToArray();
            Gemm.Multiply(A, B, c, _m, _k, _n, _transposeA, _transposeB, accumulate, width);
            AssertMatches(c, accumulate, width);
        }

        private void AssertMatches(ReadOnlySpan<float> c, bool accumulate, GemmVectorWidth width)
        {
            for (int index = 0; index < c.Length; index++)
            {
                double initial = accumulate ? _initialC[index] : 0;
                double expected = initial + _product[index];
                double bound = (_k + 2) * FloatEpsilon * (_magnitude[index] + Math.Abs(initial));
                if (!(Math.Abs(c[index] - expected) <= bound))
                {
                    Assert.Fail(
                        $"m = {_m}, k = {_k}, n = {_n}, transposeA = {_transposeA}, transposeB = {_transposeB}, " +
                        $"accumulate = {accumulate}, {width}: C[{index / _n}, {index % _n}] = {c[index]}, expected {expected} ± {bound}.");
                }
            }
        }

        /// <summary>
        /// <see cref="Check"/> through the memory overload, with each operand a slice in the middle of a larger array
        /// whose other elements must stay untouched.
        /// </summary>
        public void CheckThroughMemory(bool accumulate, GemmVectorWidth width)
        {
            const int Margin = 7;
            const float Sentinel = 12345f;
            float[] a = Embed(A, Margin, Sentinel);
            float[] b = Embed(B, Margin, Sentinel);
            float[] c = Embed(accumulate ? _initialC : Enumerable.Repeat(float.NaN, _m * _n).ToArray(), Margin, Sentinel);
            Memory<float> cSlice = c.AsMemory(Margin, _m * _n);
            Gemm.Multiply(a.AsMemory(Margin, A.Length), b.AsMemory(Margin, B.Length), cSlice, _m, _k, _n, _transposeA, _transposeB, accumulate, width);
            AssertMatches(cSlice.Span, accumulate, width);
            Assert.Equal(Enumerable.Repeat(Sentinel, 2 * Margin), c[..Margin].Concat(c[(Margin + _m * _n)..]));
            Assert.Equal(A, a[Margin..^Margin]);
            Assert.Equal(B, b[Margin..^Margin]);
        }

        private static float[] Embed(float[] values, int margin, float sentinel)
        {
            float[] array = Enumerable.Repeat(sentinel, values.Length + 2 * margin).ToArray();
            values.CopyTo(array, margin);
            return array;
        }

        private static float[] RandomValues(Random random, int count)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1);
            }
            return values;
        }
    }
}
