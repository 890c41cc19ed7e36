using System.Text.Json;
using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Tests.Monitoring;

public sealed class MetricsFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-metrics-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly EpochSummary[] Epochs =
    [
        new(1, 10, 15.2, 20.5, 5, 0.75, 0, 2.3, 2.1, [new MetricValue("val_accuracy", 0.45)]),
        new(2, 10, double.NaN, double.PositiveInfinity, 4.8, 0.1, 2, 0.9, null, [new MetricValue("val_accuracy", double.NaN)]),
    ];

    private static readonly StepRecord[] Steps =
    [
        new(1, 1, 2.5, 50, 5, 0.1, true, false, 0.01, new Dictionary<string, double> { ["fc.weight"] = 40, ["fc.bias"] = 30 }, []),
        new(1, 2, double.NaN, double.NaN, double.NaN, double.NaN, true, true, 0.01, new Dictionary<string, double>(), ["fc.bias"]),
    ];

    [Fact]
    public void Writes_one_csv_row_and_one_json_line_per_epoch_with_the_documented_keys()
    {
        MetricsFiles.Write(_folder, Epochs, Steps);

        var csv = File.ReadAllLines(Path.Combine(_folder, "metrics.csv"));
        Assert.Equal("epoch,train_loss,val_loss,val_accuracy,grad_norm_before_mean,grad_norm_before_max,grad_norm_after_mean,clip_rate,skipped_steps", csv[0]);
        Assert.Equal("1,2.3,2.1,0.45,15.2,20.5,5,0.75,0", csv[1]);
        Assert.Equal("2,0.9,,NaN,NaN,inf,4.8,0.1,2", csv[2]);
        var lines = File.ReadAllLines(Path.Combine(_folder, "metrics.jsonl"));
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(MetricsFiles.EpochColumns(Epochs[0]), first.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(15.2, first.RootElement.GetProperty("grad_norm_before_mean").GetDouble());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("grad_norm_before_max").ValueKind);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("val_accuracy").ValueKind);
    }

    [Fact]
    public void Writes_one_json_line_per_step_with_per_parameter_norms_and_non_finite_names()
    {
        MetricsFiles.Write(_folder, Epochs, Steps);

        var lines = File.ReadAllLines(Path.Combine(_folder, "steps.jsonl"));
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(40, first.RootElement.GetProperty("param_norms").GetProperty("fc.weight").GetDouble());
        Assert.True(first.RootElement.GetProperty("clipped").GetBoolean());
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("loss").ValueKind);
        Assert.Equal("fc.bias", second.RootElement.GetProperty("nonfinite")[0].GetString());
        Assert.True(second.RootElement.GetProperty("skipped").GetBoolean());
    }
}
