using GradClip.Metrics;
using GradClip.Monitoring;

namespace GradClip.Tests.Monitoring;

public sealed class MetricsLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-log-").FullName;
    private readonly string _whole = Directory.CreateTempSubdirectory("gradclip-log-whole-").FullName;

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_whole, recursive: true);
    }

    private static readonly EpochSummary[] Epochs =
    [
        new(1, 2, 15.2, 20.5, 5, 0.75, 0, 2.3, 2.1, [new MetricValue("val_accuracy", 0.45)]),
        new(2, 1, double.NaN, double.PositiveInfinity, 4.8, 0.1, 1, 0.9, null, [new MetricValue("val_accuracy", double.NaN)]),
    ];

    private static readonly StepRecord[] Steps =
    [
        new(1, 1, 2.5, 50, 5, 0.1, true, false, 0.01, new Dictionary<string, double> { ["fc.weight"] = 40 }, []),
        new(1, 2, 1.5, 3, 3, 1, false, false, 0.01, new Dictionary<string, double> { ["fc.weight"] = 3 }, []),
        new(2, 3, double.NaN, double.NaN, double.NaN, double.NaN, true, true, 0.01, new Dictionary<string, double>(), ["fc.bias"]),
    ];

    private static readonly string[] Files = [MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile];

    private void AssertSameAsWrittenWhole()
    {
        MetricsFiles.Write(_whole, Epochs, Steps);
        foreach (string file in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_whole, file)), File.ReadAllBytes(Path.Combine(_folder, file)));
        }
    }

    [Fact]
    public void Appending_in_pieces_gives_the_same_bytes_as_writing_the_records_at_once()
    {
        using (var log = MetricsLog.Create(_folder))
        {
            log.Append(Epochs[..1], Steps[..2]);
            log.Append(Epochs[..1], Steps[..2]);
            log.Append(Epochs, Steps);
        }

        AssertSameAsWrittenWhole();
    }

    [Fact]
    public void Resuming_at_a_checkpoints_offsets_cuts_off_what_was_appended_after_it()
    {
        IReadOnlyDictionary<string, long> offsets;
        using (var log = MetricsLog.Create(_folder))
        {
            log.Append(Epochs[..1], Steps[..2]);
            offsets = log.Sync();
            // Appended after the checkpoint, then the run was killed: records that a resumed run takes again.
            log.Append(Epochs, Steps);
        }

        using (var resumed = MetricsLog.Resume(_folder, offsets, epochs: 1, steps: 2))
        {
            resumed.Append(Epochs, Steps);
        }

        AssertSameAsWrittenWhole();
    }

    [Fact]
    public void A_log_shorter_than_its_offset_is_refused_naming_it()
    {
        using (var log = MetricsLog.Create(_folder))
        {
            log.Append(Epochs, Steps);
        }
        var offsets = Files.ToDictionary(f => f, f => new FileInfo(Path.Combine(_folder, f)).Length);
        offsets[MetricsFiles.StepsFile] += 1;

        var error = Assert.Throws<InvalidDataException>(() => MetricsLog.Resume(_folder, offsets, 2, 3));

        Assert.Contains(MetricsFiles.StepsFile, error.Message);
        Assert.Contains("fewer than", error.Message);
    }

    [Fact]
    public void A_log_that_is_a_symbolic_link_is_refused_and_its_target_left_whole()
    {
        using (var log = MetricsLog.Create(_folder))
        {
            log.Append(Epochs, Steps);
        }
        var offsets = Files.ToDictionary(f => f, f => new FileInfo(Path.Combine(_folder, f)).Length - 1);
        string outside = Path.Combine(_whole, "notes.txt");
        File.WriteAllText(outside, "a file of the user's, outside the run, longer than the offset of the log it stands in for\n");
        string steps = Path.Combine(_folder, MetricsFiles.StepsFile);
        File.Delete(steps);
        File.CreateSymbolicLink(steps, outside);
        byte[] before = File.ReadAllBytes(outside);

        var error = Assert.Throws<InvalidDataException>(() => MetricsLog.Resume(_folder, offsets, 2, 3));

        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(before, File.ReadAllBytes(outside));
    }
}
