using System.Globalization;
using BenchmarkDotNet.Running;
using GradClip.Benchmarks;
using GradClip.Benchmarks.Crash;
using GradClip.Benchmarks.Peer;

// Console modes for the proofs that are loops over real processes or thousands of inputs rather than timings;
// everything else goes to BenchmarkDotNet.
return args switch
{
    ["csv-memory", string reader, string rows] => CsvMemoryProbe.Run(reader, int.Parse(rows, CultureInfo.InvariantCulture)),
    ["kill-resume", .. var rest] => KillResume.Run(rest),
    ["fuzz-run-folders", .. var rest] => RunFolderFuzz.Run(rest),
    ["checkpoint-cost", .. var rest] => CheckpointCost.Run(rest),
    ["report-scale", .. var rest] => ReportScale.Run(rest),
    ["corpus", .. var rest] => DiagnosisCorpus.Run(rest),
    ["diagnose-roundtrip", .. var rest] => DiagnoseRoundTrip.Run(rest),
    ["diagnose-scale", .. var rest] => DiagnoseScaleMode(rest),
    ["data-parallel", .. var rest] => DataParallelThroughput.Run(rest),
    ["data-parallel-rank", .. var rest] => DataParallelThroughput.RunRank(rest),
    ["task-clipping", .. var rest] => TaskClipping.Run(rest),
    ["conv-gflops", .. var rest] => ConvolutionThroughput.Run(rest),
    ["peer", .. var rest] => PeerRunner.Run(rest),
    ["engine-steps", .. var rest] => PeerSteps.Run(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(CsvFile).Assembly).Run(args);
    return 0;
}

static int DiagnoseScaleMode(string[] args)
{
    DiagnoseScale.Run(args);
    return 0;
}
