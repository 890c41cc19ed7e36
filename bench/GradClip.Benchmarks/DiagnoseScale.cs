using System.Diagnostics;
using System.Globalization;
using System.Text;
using GradClip.Diagnosis;
using GradClip.Logs;

namespace GradClip.Benchmarks;

/// <summary>
/// The scale check of <c>gradclip diagnose</c> (a console mode, not a BenchmarkDotNet suite: it measures one cold pass
/// and the process's peak memory): writes a synthetic run of N steps (1,000,000 by default) as a Hugging Face
/// trainer_state.json logged every step, a Lightning metrics.csv and a JSON-lines log, then reads, judges and replays
/// each, printing the time and the peak working set. Target: under 10 s and 300 MB for a million steps.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/GradClip.Benchmarks -- diagnose-scale [steps] [hf|csv|jsonl]</c>.</remarks>
public static class DiagnoseScale
{
    /// <summary>Runs the check with the console arguments after the mode's name.</summary>
    public static void Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        string[] formats = args.Length > 1 ? args[1..] : ["hf", "csv", "jsonl"];
        string folder = Path.Combine(Path.GetTempPath(), "gradclip-diagnose-scale-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (string format in formats)
            {
                string path = Write(folder, format, steps);
                Measure(path, format, steps);
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(string path, string format, int steps)
    {
        GC.Collect();
        long sizeMb = new FileInfo(path).Length >> 20;
        var clock = Stopwatch.StartNew();
        var reading = LogReader.Read(path, new LogOptions(MaxNorm: 1.0));
        double read = clock.Elapsed.TotalSeconds;
        var findings = HealthCheck.Diagnose(reading.Trace);
        double judged = clock.Elapsed.TotalSeconds;
        var replay = ClipReplay.Of(reading.Trace);
        double total = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{format,-6} {steps} steps, {sizeMb} MB file: read {read:F2} s, health check {judged - read:F2} s, replay {total - judged:F2} s, total {total:F2} s; " +
            $"peak working set {process.PeakWorkingSet64 >> 20} MB; {reading.Trace.Count} rows, {findings.Count} verdict(s) ({string.Join(", ", findings.Select(f => f.Kind))}), {replay.Spikes.Count} spikes"));
    }

    /// <summary>Writes a run of <paramref name="steps"/> steps: a decaying loss with noise, log-normal norms with a spike every 50,000 steps.</summary>
    private static string Write(string folder, string format, int steps)
    {
        string path = Path.Combine(folder, format switch { "hf" => "trainer_state.json", "csv" => "metrics.csv", _ => "train.jsonl" });
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(format switch
        {
            "hf" => $"{{\n  \"global_step\": {steps},\n  \"logging_steps\": 1,\n  \"log_history\": [\n",
            "csv" => "epoch,grad_2.0_norm_total,lr-AdamW,step,train_loss_step,val_loss\n",
            _ => "",
        });
        int stepsPerEpoch = Math.Max(1, steps / 10);
        for (int step = 1; step <= steps; step++)
        {
            double loss = 0.2 + 2.0 * Math.Exp(-step / (steps / 5.0)) + 0.05 * random.NextDouble();
            double norm = Math.Exp(0.3 * Gaussian(random)) * (step % 50_000 == 0 ? 500 : 1);
            double lr = 1e-4 * (1 - (double)step / steps);
            double epoch = (double)step / stepsPerEpoch;
            writer.Write(format switch
            {
                "hf" => string.Create(CultureInfo.InvariantCulture, $"    {{\n      \"epoch\": {epoch:R},\n      \"grad_norm\": {norm:R},\n      \"learning_rate\": {lr:R},\n      \"loss\": {loss:F4},\n      \"step\": {step}\n    }}{(step < steps ? "," : "")}\n"),
                "csv" => string.Create(CultureInfo.InvariantCulture, $"{(step - 1) / stepsPerEpoch},{norm:R},{lr:R},{step},{loss:R},\n"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{{\"step\": {step}, \"loss\": {loss:R}, \"grad_norm\": {norm:R}, \"lr\": {lr:R}}}\n"),
            });
        }
        if (format == "hf")
        {
            writer.Write("  ],\n  \"max_steps\": " + steps.ToString(CultureInfo.InvariantCulture) + "\n}\n");
        }
        return path;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
