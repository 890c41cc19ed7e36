using GradClip.Metrics;
using GradClip.Diagnosis;
using GradClip.Monitoring;

namespace GradClip.Tests.Diagnosis;

public class RunTraceTests
{
    [Fact]
    public void Holds_a_recorded_run_column_by_column_with_its_epochs_and_parameter_norms()
    {
        var norms = new Dictionary<string, double> { ["w"] = 3, ["b"] = 4 };
        StepRecord[] steps =
        [
            new(1, 1, 2.0, 5, 1, 0.2, true, false, 0.1, norms, []),
            new(1, 2, 1.5, 0.5, 0.5, 1, false, false, 0.1, norms, []),
            new(2, 3, double.NaN, double.NaN, double.NaN, 1, false, true, 0.05, new Dictionary<string, double>(), []),
        ];
        EpochSummary[] epochs = [EpochSummary.Of(1, steps[..2], 1.2, [new MetricValue("val_accuracy", 0.5)]), EpochSummary.Of(2, steps[2..], null, [])];

        var trace = RunTrace.FromRecords(steps, epochs, new RunSetup { Clipping = ClippingKind.Norm, MaxNorm = 1 });

        Assert.Equal([1, 2, 3], trace.Steps.ToArray());
        Assert.Equal([2.0, 1.5], trace.Loss.Values[..2].ToArray());
        Assert.True(trace.Loss.IsLogged(2) && double.IsNaN(trace.Loss[2]!.Value));
        Assert.Equal([1.0, 0.0, 0.0], trace.Clipped.Values.ToArray());
        Assert.Equal(0.05, trace.LearningRate[2]);
        Assert.Equal(["w", "b"], trace.LayerNorms.Select(c => c.Name));
        Assert.Equal(4, trace.LayerNorms[1][0]);
        Assert.Null(trace.LayerNorms[1][2]);
        Assert.Equal(new EpochRecord(1, 2, 1.75, 1.2, 0.5) { Metrics = trace.Epochs[0].Metrics }, trace.Epochs[0]);
        Assert.Equal(3, trace.Epochs[1].Step);
        Assert.Equal(3, trace.TotalSteps);
        Assert.Equal(1, trace.Setup.MaxNorm);
    }
}
