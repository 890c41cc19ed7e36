using System.Globalization;
using BenchmarkDotNet.Running;
using GradClip.Benchmarks;

if (args is ["csv-memory", string reader, string rows])
{
    return CsvMemoryProbe.Run(reader, int.Parse(rows, CultureInfo.InvariantCulture));
}
BenchmarkSwitcher.FromAssembly(typeof(CsvFile).Assembly).Run(args);
return 0;
