using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CsvHelper;
using GradClip.Data;
using nietras.SeparatedValues;

namespace GradClip.Benchmarks;

/// <summary>
/// Reading a 1,000,000-row × 20-feature CSV file (plus a label column, ~190 MB) into one float array: GradClip's loader
/// against Sep and CsvHelper doing the same job (every feature cell parsed to float, the label kept as a class index).
/// Time and allocated bytes here; peak memory by <c>csv-memory</c> mode (see <see cref="CsvMemoryProbe"/>).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class CsvReaderBenchmarks
{
    private const int Rows = 1_000_000, Features = 20;
    private string _path = "";

    /// <summary>Each read takes seconds: one warm-up, five measured, one read each.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Creates the configuration.</summary>
        public Config() =>
            AddJob(Job.Default.WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }

    [GlobalSetup]
    public void Setup() => _path = CsvFile.Write(Rows, Features);

    [Benchmark(Baseline = true)]
    public int GradClipLoader() => CsvDataLoader.Load(_path).RowCount;

    [Benchmark]
    public int SepLibrary() => ReadWithSep(_path).Length;

    [Benchmark]
    public int CsvHelperLibrary() => ReadWithCsvHelper(_path).Length;

    /// <summary>Sep: every feature cell parsed to float into one array, the label to an int.</summary>
    public static float[] ReadWithSep(string path)
    {
        var features = new float[Rows * Features];
        var labels = new int[Rows];
        using var reader = nietras.SeparatedValues.Sep.Reader(o => o with { HasHeader = true }).FromFile(path);
        int row = 0;
        foreach (var record in reader)
        {
            for (int j = 0; j < Features; j++)
            {
                features[row * Features + j] = record[j].Parse<float>();
            }
            labels[row++] = record[Features].Parse<int>();
        }
        return features;
    }

    /// <summary>CsvHelper: the same, through its parser and field reader.</summary>
    public static float[] ReadWithCsvHelper(string path)
    {
        var features = new float[Rows * Features];
        var labels = new int[Rows];
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, Separator = ',' });
        int row = 0;
        while (csv.Read())
        {
            for (int j = 0; j < Features; j++)
            {
                features[row * Features + j] = csv.Parse<float>(j);
            }
            labels[row++] = csv.Parse<int>(Features);
        }
        return features;
    }
}
