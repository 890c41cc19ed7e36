using System.Globalization;
using BenchmarkDotNet.Running;
using GradClip.Benchmarks;

if (args is ["csv-memory", string reader, string rows])
{
    return CsvMemoryProbe.Run(reader, int.Parse(rows, CultureInfo.InvariantCulture));
}
if (args.Length > 0 && args[0] == "corpus")
{
    return DiagnosisCorpus.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "diagnose-roundtrip")
{
    return DiagnoseRoundTrip.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "diagnose-scale")
{
    DiagnoseScale.Run(args[1..]);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
