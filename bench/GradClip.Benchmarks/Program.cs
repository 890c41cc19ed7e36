using BenchmarkDotNet.Running;
using GradClip.Benchmarks;

if (args.Length > 0 && args[0] == "diagnose-scale")
{
    DiagnoseScale.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
