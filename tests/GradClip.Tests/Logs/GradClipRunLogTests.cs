using GradClip.Metrics;
using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Monitoring;
using GradClip.Tests.Data;

namespace GradClip.Tests.Logs;

public sealed class GradClipRunLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_a_run_folder_s_steps_epochs_and_clipping_setup()
    {
        var steps = Enumerable.Range(1, 4)
            .Select(i => new StepRecord(1 + (i - 1) / 2, i, 1.0 / i, 2.0, 1.0, 0.5, true, false, 0.01, new Dictionary<string, double>(), []))
            .ToList();
        var epochs = new[] { EpochSummary.Of(1, steps[..2], 0.9, [new MetricValue("val_accuracy", 0.6)]), EpochSummary.Of(2, steps[2..], 0.8, [new MetricValue("val_accuracy", 0.7)]) };
        MetricsFiles.Write(_folder.Path, epochs, steps);
        _folder.Write("summary.json", """{"task": "classification", "model": "4-8-3", "steps": 4, "options": {"clip": "norm", "max_norm": "1"}}""");

        var reading = LogReader.Read(_folder.Path);
        var trace = reading.Trace;

        Assert.Equal(LogFormat.GradClipRun, reading.Format);
        Assert.Equal([1, 2, 3, 4], trace.Steps.ToArray());
        Assert.Equal([1.0, 0.5, 1 / 3.0, 0.25], trace.Loss.Values.ToArray());
        Assert.Equal(2, trace.Epochs.Count);
        Assert.Equal((2.0, 0.8, 0.7), (trace.Epochs[1].Epoch, trace.Epochs[1].ValLoss!.Value, trace.Epochs[1].ValAccuracy!.Value));
        Assert.Equal(ClippingKind.Norm, trace.Setup.Clipping);
        Assert.Equal(1.0, trace.Setup.MaxNorm);
        Assert.Equal(3, trace.Setup.ClassCount);
        Assert.Equal(4, trace.TotalSteps);
        Assert.DoesNotContain(reading.Notes, n => n.Contains("clipped", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_folder_is_refused_naming_the_files_looked_for()
    {
        _folder.Write("notes.txt", "hello");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(_folder.Path));

        Assert.Contains("steps.jsonl (a GradClip run), trainer_state.json (Hugging Face Trainer) or metrics.csv (Lightning CSVLogger)", error.Message, StringComparison.Ordinal);
        Assert.Contains("it holds notes.txt", error.Message, StringComparison.Ordinal);
    }
}
