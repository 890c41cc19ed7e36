using GradClip.Diagnosis;
using GradClip.Logs;
using GradClip.Monitoring;
using GradClip.Tests.Data;

namespace GradClip.Tests.Logs;

public sealed class JsonLinesLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_steps_with_bare_non_finite_values_and_evaluation_lines()
    {
        string path = _folder.Write("train.jsonl",
            "{\"step\": 1, \"loss\": 2.0, \"grad_norm\": 4.0, \"lr\": 0.1, \"phase\": \"train\"}\r\n" +
            "\n" +
            "{\"step\": 2, \"loss\": NaN, \"grad_norm\": Infinity, \"lr\": 0.1}\n" +
            "{\"step\": 2, \"val_loss\": 1.75, \"val_accuracy\": 0.5, \"epoch\": 1}\n");

        var reading = LogReader.Read(path);
        var trace = reading.Trace;

        Assert.Equal(LogFormat.JsonLines, reading.Format);
        Assert.Equal([1, 2], trace.Steps.ToArray());
        Assert.True(double.IsNaN(trace.Loss[1]!.Value));
        Assert.Equal(double.PositiveInfinity, trace.NormBefore[1]);
        var epoch = Assert.Single(trace.Epochs);
        Assert.Equal((1.0, 2, 1.75, 0.5), (epoch.Epoch, epoch.Step, epoch.ValLoss!.Value, epoch.ValAccuracy!.Value));
    }

    [Fact]
    public async Task A_FIFO_or_a_link_to_a_device_is_refused_at_once_instead_of_read_forever()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string pipe = System.IO.Path.Combine(_folder.Path, "train.jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [pipe]))
        {
            mkfifo.WaitForExit();
        }
        string device = System.IO.Path.Combine(_folder.Path, "trainer_state.json");
        File.CreateSymbolicLink(device, "/dev/zero");

        var fromPipe = await Assert.ThrowsAsync<LogFormatException>(() => Task.Run(() => LogReader.Read(pipe)).WaitAsync(TimeSpan.FromSeconds(10)));
        var fromDevice = Assert.Throws<LogFormatException>(() => LogReader.Read(device));

        Assert.Contains("is a FIFO (named pipe), not a regular file", fromPipe.Message);
        Assert.Contains("is a character device, not a regular file", fromDevice.Message);
    }

    [Fact]
    public void A_malformed_line_is_named_by_its_line_and_byte_offset()
    {
        string first = "{\"step\": 1, \"loss\": 2.0}\n";
        string path = _folder.Write("train.jsonl", first + "{\"step\": 2, \"loss\": 2.0,, }\n");

        var error = Assert.Throws<LogFormatException>(() => LogReader.Read(path));

        Assert.Equal(2, error.Line);
        Assert.InRange(error.ByteOffset!.Value, first.Length, first.Length + 30);
    }

    [Fact]
    public void GradClip_s_own_steps_file_reads_null_as_non_finite_with_per_parameter_norms()
    {
        var steps = new[]
        {
            new StepRecord(1, 1, 2.0, 3.0, 1.0, 1 / 3.0, true, false, 0.1, new Dictionary<string, double> { ["w"] = 2.0, ["b"] = 1.0 }, []),
            new StepRecord(1, 2, double.NaN, double.PositiveInfinity, double.NaN, double.NaN, false, true, 0.1, new Dictionary<string, double> { ["w"] = double.NaN, ["b"] = 1.0 }, ["w"]),
        };
        string path = _folder.Write("steps.jsonl", string.Concat(steps.Select(s => MetricsFiles.StepJson(s) + "\n")));

        var trace = LogReader.Read(path).Trace;

        Assert.Equal(["w", "b"], trace.LayerNorms.Select(c => c.Name));
        Assert.Equal(2.0, trace.LayerNorms[0][0]);
        Assert.True(double.IsNaN(trace.LayerNorms[0][1]!.Value));
        Assert.True(double.IsNaN(trace.Loss[1]!.Value));
        Assert.Equal([1.0, 0.0], trace.Clipped.Values.ToArray());
    }
}
