using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GradClip.Kernels;
using Perfolizer.Horology;

namespace GradClip.Benchmarks;

/// <summary>
/// Gemm.Multiply (the memory overload, as the engine calls it) in GFLOP/s (2·m·k·n per call) on square and training-engine shapes, next to this machine's FMA peak
/// measured in the same run (independent Vector512 FMA chains, on one thread and on two). The "of 2-core peak" column
/// divides each case's GFLOP/s by the two-thread peak of the same run.
/// </summary>
[Config(typeof(GemmConfig))]
public class GemmBenchmarks
{
    private const string PeakOneThread = "FMA peak 1 thread";
    private const string PeakTwoThreads = "FMA peak 2 threads";

    /// <summary>Iterations of the peak loop: 12 FMAs of 16 lanes each, ~1 ms per thread.</summary>
    private const int PeakIterations = 400_000;

    private static readonly Dictionary<string, (int M, int K, int N, bool TransposeA, bool TransposeB)> Shapes = new()
    {
        ["64x64x64"] = (64, 64, 64, false, false),
        ["128x128x128"] = (128, 128, 128, false, false),
        ["256x256x256"] = (256, 256, 256, false, false),
        ["1024x1024x1024"] = (1024, 1024, 1024, false, false),
        ["mlp fwd Bt 32x10x64"] = (32, 10, 64, false, true),
        ["mlp fwd Bt 32x64x32"] = (32, 64, 32, false, true),
        ["mlp fwd Bt 32x32x3"] = (32, 32, 3, false, true),
        ["mlp dW At 64x32x10"] = (64, 32, 10, true, false),
        ["mlp dW At 32x32x64"] = (32, 32, 64, true, false),
        ["mlp dW At 3x32x32"] = (3, 32, 32, true, false),
        ["mlp dX 32x32x64"] = (32, 32, 64, false, false),
        ["mlp dX 32x3x32"] = (32, 3, 32, false, false),
        ["lstm fwd 32x74x256"] = (32, 74, 256, false, false),
        ["lstm dW At 74x32x256"] = (74, 32, 256, true, false),
        ["lstm dX Bt 32x256x74"] = (32, 256, 74, false, true),
    };

    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private (int M, int K, int N, bool TransposeA, bool TransposeB) _shape;
    private float _peakSink;

    /// <summary>
    /// The peak measurement, or a shape named m×k×n (op(A) m×k times op(B) k×n): "At" stores A transposed (k×m), "Bt"
    /// stores B transposed (n×k). The "mlp" shapes are the calls <c>Tensor.Linear</c> makes for the default
    /// <c>gradclip train</c> network, 10→64→32→3 on batches of 32 with weights stored out×in: forward X·Wᵀ, backward
    /// dW = dYᵀ·X and dX = dY·W (none for the input layer); the "lstm" ones an LSTM step with batch 32, input 10 and
    /// hidden size 64 ([x, h] is 32×74, the gates 4·64 = 256 wide).
    /// </summary>
    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    public static IEnumerable<string> Cases => [PeakOneThread, PeakTwoThreads, .. Shapes.Keys];

    [GlobalSetup]
    public void Setup()
    {
        if (!Shapes.TryGetValue(Case, out var shape))
        {
            return;
        }
        _shape = shape;
        var random = new Random(1);
        _a = Enumerable.Range(0, shape.M * shape.K).Select(_ => (float)random.NextDouble()).ToArray();
        _b = Enumerable.Range(0, shape.K * shape.N).Select(_ => (float)random.NextDouble()).ToArray();
        _c = new float[shape.M * shape.N];
    }

    [Benchmark]
    public void Run()
    {
        switch (Case)
        {
            case PeakOneThread:
                _peakSink = FmaChains();
                break;
            case PeakTwoThreads:
                Parallel.For(0, 2, _ => _peakSink = FmaChains());
                break;
            default:
                Gemm.Multiply(_a.AsMemory(), _b.AsMemory(), _c.AsMemory(), _shape.M, _shape.K, _shape.N, _shape.TransposeA, _shape.TransposeB);
                break;
        }
    }

    /// <summary>Floating-point operations per call of <see cref="Run"/> for a case.</summary>
    public static double FlopsOf(string benchmarkCase) => benchmarkCase switch
    {
        PeakOneThread => PeakFlopsPerThread,
        PeakTwoThreads => 2 * PeakFlopsPerThread,
        _ => 2.0 * Shapes[benchmarkCase].M * Shapes[benchmarkCase].K * Shapes[benchmarkCase].N,
    };

    private static double PeakFlopsPerThread => 2.0 * 12 * Vector512<float>.Count * PeakIterations;

    /// <summary>12 independent FMA chains on Vector512 registers: enough to keep both FMA ports busy through their latency.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float FmaChains()
    {
        var factor = Vector512.Create(0.999f);
        var offset = Vector512.Create(0.001f);
        Vector512<float> s0 = Vector512.Create(0f), s1 = Vector512.Create(1f), s2 = Vector512.Create(2f), s3 = Vector512.Create(3f);
        Vector512<float> s4 = Vector512.Create(4f), s5 = Vector512.Create(5f), s6 = Vector512.Create(6f), s7 = Vector512.Create(7f);
        Vector512<float> s8 = Vector512.Create(8f), s9 = Vector512.Create(9f), s10 = Vector512.Create(10f), s11 = Vector512.Create(11f);
        for (int i = 0; i < PeakIterations; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, factor, offset);
            s1 = Vector512.FusedMultiplyAdd(s1, factor, offset);
            s2 = Vector512.FusedMultiplyAdd(s2, factor, offset);
            s3 = Vector512.FusedMultiplyAdd(s3, factor, offset);
            s4 = Vector512.FusedMultiplyAdd(s4, factor, offset);
            s5 = Vector512.FusedMultiplyAdd(s5, factor, offset);
            s6 = Vector512.FusedMultiplyAdd(s6, factor, offset);
            s7 = Vector512.FusedMultiplyAdd(s7, factor, offset);
            s8 = Vector512.FusedMultiplyAdd(s8, factor, offset);
            s9 = Vector512.FusedMultiplyAdd(s9, factor, offset);
            s10 = Vector512.FusedMultiplyAdd(s10, factor, offset);
            s11 = Vector512.FusedMultiplyAdd(s11, factor, offset);
        }
        Vector512<float> sum = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11;
        return Vector512.Sum(sum);
    }

    /// <summary>A short job (the whole suite in about two minutes) with the median, min and the GFLOP/s and peak-ratio columns.</summary>
    private sealed class GemmConfig : ManualConfig
    {
        public GemmConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithIterationTime(TimeInterval.FromMilliseconds(150)));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            AddColumn(new GflopsColumn(relativeToPeak: false), new GflopsColumn(relativeToPeak: true));
        }
    }

    /// <summary>GFLOP/s of a case from its fastest iteration, or that divided by the two-thread FMA peak of the same summary.</summary>
    private sealed class GflopsColumn(bool relativeToPeak) : IColumn
    {
        public string Id => relativeToPeak ? "GemmOfPeak" : "GemmGflops";

        public string ColumnName => relativeToPeak ? "of 2-core peak" : "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => relativeToPeak ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => relativeToPeak
            ? "GFLOP/s divided by the two-thread FMA peak measured in the same run"
            : "2·m·k·n (or the peak loop's FMA flops) per time of the fastest iteration, in 10^9 per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? gflops = GflopsOf(summary, benchmarkCase);
            if (gflops is null)
            {
                return "-";
            }
            if (!relativeToPeak)
            {
                return gflops.Value.ToString("F1", CultureInfo.InvariantCulture);
            }
            BenchmarkCase? peakCase = summary.BenchmarksCases.FirstOrDefault(c => (string)c.Parameters["Case"] == PeakTwoThreads);
            double? peak = peakCase is null ? null : GflopsOf(summary, peakCase);
            return peak is null ? "-" : (gflops.Value / peak.Value).ToString("P1", CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;

        private static double? GflopsOf(Summary summary, BenchmarkCase benchmarkCase)
        {
            // The fastest iteration, for the peak and the products alike: other processes on this shared machine slow
            // down some iterations (often by taking one of the two cores), and the least disturbed one is the fair
            // measure of what the code and the machine can do. Mean and median stay in the table beside it.
            double? fastestNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Min;
            return fastestNanoseconds is null ? null : FlopsOf((string)benchmarkCase.Parameters["Case"]) / fastestNanoseconds.Value;
        }
    }
}
