using GradClip.Corpus;
using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Tests.Data;

namespace GradClip.Tests.Logs;

public sealed class TraceExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// 300 steps over 3 epochs of a seeded run clipped at max_norm 2: a loss falling with noise, norms around 1 with two
    /// per-layer norms, validation figures per epoch; with <paramref name="explodeAt"/>, loss and norm go NaN from there.
    /// </summary>
    private static RunTrace Run(int? explodeAt = null)
    {
        var random = new Random(5);
        var builder = new RunTraceBuilder(["fc1.weight", "fc2.weight"]) { Setup = new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 2, TotalSteps = 300 } };
        for (int step = 1; step <= 300; step++)
        {
            bool exploded = step >= explodeAt;
            double norm = exploded ? double.NaN : 1 + 0.3 * random.NextDouble();
            double loss = exploded ? double.NaN : 2 * Math.Exp(-step / 80.0) + 0.1 + 0.05 * random.NextDouble();
            builder.AddStep(new TraceStep(step, 1 + (step - 1) / 100, loss, norm, Math.Min(norm, 2), 0.01, norm > 2), [0.6 * norm, 0.8 * norm]);
            if (step % 100 == 0)
            {
                builder.AddEpoch(new EpochRecord(step / 100, step, null, exploded ? double.NaN : 1.0 / (step / 100), 0.5 + 0.1 * (step / 100)));
            }
        }
        return builder.Build();
    }

    private LogReading ReadBack(string name, string text) => LogReader.Read(_folder.Write(name, text), new LogOptions(MaxNorm: 2));

    [Fact]
    public void A_trainer_state_logging_every_step_reads_back_the_trace_with_the_loss_rounded_as_the_Trainer_rounds_it()
    {
        var run = Run();

        var back = ReadBack("trainer_state.json", TraceExport.TrainerState(run, 1)).Trace;

        Assert.Equal(run.Steps.ToArray(), back.Steps.ToArray());
        Assert.Equal(run.NormBefore.Values.ToArray(), back.NormBefore.Values.ToArray());
        for (int row = 0; row < run.Count; row++)
        {
            Assert.Equal(Math.Round(run.Loss[row]!.Value, 4), back.Loss[row]);
        }
        Assert.Equal(3, back.Epochs.Count);
        Assert.Equal((2.0, 200, 0.5, 0.7), (back.Epochs[1].Epoch, back.Epochs[1].Step!.Value, back.Epochs[1].ValLoss!.Value, back.Epochs[1].ValAccuracy!.Value));
    }

    [Fact]
    public void A_sparse_trainer_state_holds_each_interval_s_mean_loss_and_its_last_step_s_norm()
    {
        var run = Run();

        var back = ReadBack("trainer_state.json", TraceExport.TrainerState(run, 50)).Trace;

        Assert.Equal([50, 100, 150, 200, 250, 300], back.Steps.ToArray());
        double mean = 0;
        for (int row = 50; row < 100; row++)
        {
            mean += run.Loss[row]!.Value / 50;
        }
        Assert.Equal(Math.Round(mean, 4), back.Loss[1]);
        Assert.Equal(run.NormBefore[99], back.NormBefore[1]);
        Assert.Equal(300, back.TotalSteps);
    }

    [Fact]
    public void A_Lightning_metrics_csv_reads_back_every_figure_with_the_per_layer_norms_and_the_epoch_rows()
    {
        var run = Run(explodeAt: 250);

        var back = ReadBack("metrics.csv", TraceExport.LightningCsv(run)).Trace;

        Assert.Equal(run.Steps.ToArray().Select(s => s - 1), back.Steps.ToArray());
        Assert.Equal(run.Loss.Values.ToArray(), back.Loss.Values.ToArray());
        Assert.Equal(run.LayerNorms[1].Values.ToArray(), back.LayerNorms[1].Values.ToArray());
        Assert.Equal(run.Epoch.Values.ToArray(), back.Epoch.Values.ToArray());
        var third = back.Epochs[2];
        Assert.Equal((3.0, 299), (third.Epoch, third.Step!.Value));
        Assert.True(double.IsNaN(third.ValLoss!.Value) && double.IsNaN(third.TrainLoss!.Value));
        Assert.Equal(0.6, back.Epochs[0].ValAccuracy!.Value, 12);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(200)]
    public void The_exports_get_the_verdict_kinds_the_run_itself_gets(int? explodeAt)
    {
        var run = Run(explodeAt);
        var kinds = HealthCheck.Diagnose(run).Select(f => f.Kind).ToList();

        var exports = new List<(string Name, string Text)>
        {
            ("trainer_state.json", TraceExport.TrainerState(run, 1)), ("trainer_state.json", TraceExport.TrainerState(run, 10)),
            ("metrics.csv", TraceExport.LightningCsv(run)),
        };
        if (explodeAt is not null)
        {
            // Six logged losses are too few to call a run healthy, but enough to show the NaN.
            exports.Add(("trainer_state.json", TraceExport.TrainerState(run, 50)));
        }
        foreach (var (name, text) in exports)
        {
            string folder = Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(Path.Combine(_folder.Path, folder));
            var exported = ReadBack(Path.Combine(folder, name), text);
            Assert.Equal(kinds, HealthCheck.Diagnose(exported.Trace).Select(f => f.Kind).ToList());
        }
    }

    [Fact]
    public void A_corpus_data_fault_run_exported_as_Hugging_Face_and_Lightning_logs_gets_the_kinds_the_run_gets()
    {
        var run = Scenarios.DataFault.Run(0);
        var kinds = HealthCheck.Diagnose(run).Select(f => f.Kind).ToList();
        var options = new LogOptions(MaxNorm: run.Setup.MaxNorm);

        var fromTrainer = LogReader.Read(_folder.Write("trainer_state.json", TraceExport.TrainerState(run, 1)), options);
        var fromLightning = LogReader.Read(_folder.Write("metrics.csv", TraceExport.LightningCsv(run)), options);

        Assert.Equal(HealthKind.LossSpikeWithoutGradientSpike, kinds[0]);
        Assert.Equal(kinds, HealthCheck.Diagnose(fromTrainer.Trace).Select(f => f.Kind).ToList());
        Assert.Equal(kinds, HealthCheck.Diagnose(fromLightning.Trace).Select(f => f.Kind).ToList());
    }
}
