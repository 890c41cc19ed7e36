using System.Diagnostics;
using GradClip.Data;

namespace GradClip.Benchmarks;

/// <summary>
/// <c>csv-memory READER ROWS</c>: loads a ROWS × 20 file with one reader in a fresh process and prints the time, the
/// process's peak resident memory and the size of the float data, so that readers are compared by peak memory too.
/// </summary>
public static class CsvMemoryProbe
{
    /// <summary>Runs the probe; returns the exit code.</summary>
    public static int Run(string reader, int rows)
    {
        const int features = 20;
        string path = CsvFile.Write(rows, features);
        using (var current = Process.GetCurrentProcess())
        {
            Console.WriteLine($"before: peak RSS {Mb(current.PeakWorkingSet64)}");
        }
        var clock = Stopwatch.StartNew();
        int loaded = reader switch
        {
            "gradclip" => CsvDataLoader.Load(path).RowCount,
            "sep" => CsvReaderBenchmarks.ReadWithSep(path).Length / features,
            "csvhelper" => CsvReaderBenchmarks.ReadWithCsvHelper(path).Length / features,
            _ => throw new ArgumentException($"unknown reader '{reader}'; gradclip, sep or csvhelper"),
        };
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        long floatBytes = (long)rows * features * sizeof(float);
        Console.WriteLine($"{reader}: {loaded} rows in {clock.Elapsed.TotalSeconds:F2} s; peak RSS {Mb(process.PeakWorkingSet64)}; "
            + $"float data {Mb(floatBytes)}; file {Mb(new FileInfo(path).Length)}");
        return 0;
    }

    private static string Mb(long bytes) => $"{bytes / 1e6:F0} MB";
}
