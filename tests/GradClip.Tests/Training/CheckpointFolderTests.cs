using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GradClip.Metrics;
using GradClip.Adaptive;
using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Randomness;
using GradClip.Tensors;
using GradClip.Tests.Data;
using GradClip.Training;

namespace GradClip.Tests.Training;

public sealed class CheckpointFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string PathOf(string file) => Path.Combine(_folder.Path, file);

    /// <summary>A checkpoint with every kind of field filled, non-finite figures and AMSGrad buffers included.</summary>
    public static TrainingCheckpoint Sample()
    {
        var weights = new List<(string, Tensor)> { ("0.weight", Tensor.FromArray([1.5f, -0f, 3e-39f, 7], 2, 2)), ("0.bias", Tensor.FromArray([0.1f, -0.2f], 2)) };
        var optimizer = new OptimizerState(0.003, [new AdamState(3, [1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]), null]);
        var clipping = new ClippingState([new AutoClipState([0.1, 0.2, 1e300], double.NaN)], [new ZClipState(4, 0.1 + 0.2, 1e-20)]);
        var norms = new Dictionary<string, double> { ["0.weight"] = 1.0 / 3, ["0.bias"] = double.PositiveInfinity };
        var steps = new List<StepRecord>
        {
            new(1, 1, 0.7, 2.5, 1, 0.4, true, false, 0.003, norms, []),
            new(1, 2, double.NaN, double.NaN, double.NaN, 1, false, true, 0.003, new Dictionary<string, double>(), ["0.bias"]),
            new(2, 3, double.NegativeInfinity, 0.25, 0.25, 1, false, false, 0.003, norms, []),
        };
        var epochs = new List<EpochSummary> { EpochSummary.Of(1, steps[..2], 0.9, []) };
        var generator = new GeneratorCheckpoint(new GeneratorState(ulong.MaxValue, 8), new GeneratorState(ulong.MaxValue, (1UL << 60) + 3),
            [new GeneratorState(ulong.MaxValue, 0), new GeneratorState(ulong.MaxValue, 8)]);
        return new TrainingCheckpoint(1, 1, weights, optimizer, clipping, 1, 0.9, weights, epochs, steps, generator);
    }

    /// <summary>A context with every part filled.</summary>
    public static CheckpointContext Context(string lr = "0.003") => new(
        new Dictionary<string, string> { ["lr"] = lr, ["data"] = "/tmp/ünïcode.csv" },
        new Dictionary<string, string> { ["data-sha256"] = "ab", ["columns"] = "x,y" },
        new Dictionary<string, long> { ["steps.jsonl"] = 123, ["metrics.jsonl"] = 45 });

    /// <summary>Saves <paramref name="checkpoint"/> as the first checkpoint of a new run in the folder.</summary>
    private void Save(TrainingCheckpoint checkpoint, CheckpointContext? context = null) =>
        CheckpointWriter.StartNew(_folder.Path).Save(checkpoint, context ?? Context());

    private string Marker => PathOf(CheckpointFolder.MarkerFile);

    private JsonObject ReadMarker() => JsonNode.Parse(File.ReadAllText(Marker))!.AsObject();

    /// <summary>The path of <paramref name="file"/> in the generation the marker names.</summary>
    private string InGeneration(string file) => PathOf(Path.Combine((string)ReadMarker()["generation"]!, file));

    /// <summary>Replaces a generation file and its hash in the marker, as a consistent (but wrong) checkpoint would hold it.</summary>
    private void Rewrite(string file, string text)
    {
        File.WriteAllText(InGeneration(file), text);
        var marker = ReadMarker();
        marker["files"]![file] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(InGeneration(file))));
        File.WriteAllText(Marker, marker.ToJsonString());
    }

    [Fact]
    public void Round_trips_every_field_bit_for_bit_non_finite_figures_included()
    {
        var saved = Sample();

        Save(saved);
        var (loaded, context) = CheckpointFolder.Load(_folder.Path);

        Assert.Equal((1, 1, 1, 0.9), (loaded.Epoch, loaded.EpochStep, loaded.BestEpoch, loaded.BestLoss));
        Assert.Equal(Context().Options, context.Options);
        Assert.Equal(Context().TrainedOn, context.TrainedOn);
        Assert.Equal(Context().LogOffsets, context.LogOffsets);
        Assert.Equal(Bits(saved.Weights), Bits(loaded.Weights));
        Assert.Equal(Bits(saved.BestWeights!), Bits(loaded.BestWeights!));
        var adam = Assert.IsType<AdamState>(loaded.Optimizer.Parameters[0]);
        Assert.Equal(3, adam.StepCount);
        Assert.Equal([9f, 10, 11, 12], adam.MaxSecondMoment.ToArray());
        Assert.Null(loaded.Optimizer.Parameters[1]);
        Assert.Equal(0.003, loaded.Optimizer.LearningRate);
        Assert.Equal(saved.Clipping.AutoClips[0].History, loaded.Clipping.AutoClips[0].History);
        Assert.True(double.IsNaN(loaded.Clipping.AutoClips[0].Threshold));
        Assert.Equal(saved.Clipping.ZClips, loaded.Clipping.ZClips);
        Assert.Equal(saved.Steps.Select(MetricsFiles.StepJson), loaded.Steps.Select(MetricsFiles.StepJson));
        Assert.True(double.IsNegativeInfinity(loaded.Steps[2].Loss));
        Assert.Equal(MetricsFiles.EpochsCsv(saved.Epochs), MetricsFiles.EpochsCsv(loaded.Epochs));
        Assert.Equal((saved.Generator.EpochStart, saved.Generator.Current), (loaded.Generator.EpochStart, loaded.Generator.Current));
        Assert.Equal(saved.Generator.EpochStarts, loaded.Generator.EpochStarts);
    }

    [Fact]
    public void A_later_save_appends_only_the_new_records_and_leaves_one_generation()
    {
        var sample = Sample();
        var writer = CheckpointWriter.StartNew(_folder.Path);
        var early = sample with { Epoch = 0, EpochStep = 2, BestEpoch = 0, BestLoss = double.PositiveInfinity, BestWeights = null, Epochs = [], Steps = sample.Steps.Take(2).ToList() };
        writer.Save(early, Context());
        byte[] earlyHistory = File.ReadAllBytes(PathOf(CheckpointFolder.HistoryFile));

        writer.Save(sample, Context());

        byte[] history = File.ReadAllBytes(PathOf(CheckpointFolder.HistoryFile));
        Assert.Equal(earlyHistory, history[..earlyHistory.Length]);
        Assert.Equal(2, history.Skip(earlyHistory.Length).Count(b => b == (byte)'\n'));
        Assert.Equal(["g-00000002"], Directory.GetDirectories(_folder.Path).Select(Path.GetFileName));
        Assert.Equal(3, CheckpointFolder.Load(_folder.Path).Checkpoint.Steps.Count);
    }

    [Fact]
    public void A_resumed_writer_continues_the_history_after_cutting_off_what_followed_its_checkpoint()
    {
        var sample = Sample();
        Save(sample with { Epoch = 0, EpochStep = 2, BestEpoch = 0, BestLoss = double.PositiveInfinity, BestWeights = null, Epochs = [], Steps = sample.Steps.Take(2).ToList() });
        File.AppendAllText(PathOf(CheckpointFolder.HistoryFile), "{\"left\": \"by a save that was killed\"}\n");

        CheckpointWriter.Continue(_folder.Path).Save(sample, Context());

        Assert.DoesNotContain("killed", File.ReadAllText(PathOf(CheckpointFolder.HistoryFile)));
        Assert.Equal(3, CheckpointFolder.Load(_folder.Path).Checkpoint.Steps.Count);
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_checkpoint_loadable()
    {
        Save(Sample());
        // The next generation's folder cannot be created where a file of its name is.
        File.WriteAllText(PathOf("g-00000002"), "");

        Assert.Throws<IOException>(() => CheckpointWriter.Continue(_folder.Path).Save(Sample() with { EpochStep = 1 }, Context("0.5")));

        Assert.Equal("0.003", CheckpointFolder.Load(_folder.Path).Context.Options["lr"]);
    }

    [Fact]
    public void A_generation_file_from_another_checkpoint_is_refused_naming_it()
    {
        using var other = new TempFolder();
        CheckpointWriter.StartNew(other.Path).Save(Sample() with { BestLoss = 0.5 }, Context());
        Save(Sample());
        string foreign = Path.Combine(other.Path, "g-00000001", CheckpointFolder.StateFile);
        File.Copy(foreign, InGeneration(CheckpointFolder.StateFile), overwrite: true);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains(Path.Combine("g-00000001", CheckpointFolder.StateFile), error.Message);
        Assert.Contains("does not match the SHA-256", error.Message);
    }

    [Fact]
    public void A_half_written_weights_file_is_refused_naming_it()
    {
        Save(Sample());
        byte[] weights = File.ReadAllBytes(InGeneration(CheckpointFolder.WeightsFile));
        File.WriteAllBytes(InGeneration(CheckpointFolder.WeightsFile), weights[..(weights.Length / 2)]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains(CheckpointFolder.WeightsFile, error.Message);
    }

    [Fact]
    public void A_history_cut_short_of_its_marker_is_refused_naming_it()
    {
        Save(Sample());
        using (var history = new FileStream(PathOf(CheckpointFolder.HistoryFile), FileMode.Open))
        {
            history.SetLength(history.Length - 10);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains(CheckpointFolder.HistoryFile, error.Message);
        Assert.Contains("fewer than", error.Message);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_save_are_removed_and_the_current_generation_kept()
    {
        Save(Sample());
        Directory.CreateDirectory(PathOf("g-00000007"));
        File.WriteAllText(PathOf($".checkpoint.json.{Guid.NewGuid():N}.tmp"), "half");

        var removed = CheckpointFolder.RemoveLeftovers(_folder.Path);

        Assert.Equal(2, removed.Count);
        Assert.Equal(["g-00000001"], Directory.GetDirectories(_folder.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
        Assert.Equal(3, CheckpointFolder.Load(_folder.Path).Checkpoint.Steps.Count);
    }

    [Fact]
    public void A_folder_without_the_marker_is_refused()
    {
        Save(Sample());
        File.Delete(Marker);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains("checkpoint.json: not found", error.Message);
    }

    [Fact]
    public void A_missing_folder_is_refused_naming_it() =>
        Assert.Contains("no such folder", Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(PathOf("absent"))).Message);

    [Fact]
    public void A_weights_file_that_is_a_link_to_a_device_is_refused_without_reading_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        Save(Sample());
        File.Delete(InGeneration(CheckpointFolder.WeightsFile));
        File.CreateSymbolicLink(InGeneration(CheckpointFolder.WeightsFile), "/dev/zero");

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains("is a character device, not a regular file", error.Message);
    }

    [Theory]
    [InlineData("epoch", "2", "holds 1 epochs and 3 steps, but checkpoint.json names 2 and 3")]
    [InlineData("epoch_step", "2", "holds 1 steps of epoch 2, but checkpoint.json names 2")]
    [InlineData("format", "\"onnx\"", "is not a GradClip checkpoint")]
    [InlineData("version", "2", "holds a checkpoint of format version 2, written by another version of GradClip; this one reads version 4")]
    [InlineData("steps", "-1", "none may be negative")]
    [InlineData("generation", "\"../g-00000001\"", "which is not a generation folder's name")]
    [InlineData("files", "{}", "a generation holds")]
    [InlineData("extra", "1", "is not a valid checkpoint file")]
    public void A_marker_that_disagrees_with_the_files_is_refused_naming_the_problem(string field, string value, string expected)
    {
        Save(Sample());
        var marker = ReadMarker();
        marker[field] = JsonNode.Parse(value);
        File.WriteAllText(Marker, marker.ToJsonString());

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_optimizer_buffer_is_refused_naming_the_tensor()
    {
        var sample = Sample();
        Save(sample with { Optimizer = new OptimizerState(0.1, [new AdamState(1, [1, 2, 3, 4], [1, 1, 1, 1], []), null]) });
        var state = JsonNode.Parse(File.ReadAllText(InGeneration(CheckpointFolder.StateFile)))!.AsObject();
        state["optimizer"]!["steps"] = JsonNode.Parse("[1, 1]");
        Rewrite(CheckpointFolder.StateFile, state.ToJsonString());

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains("has no tensor '1.exp_avg'", error.Message);
    }

    private static IEnumerable<(string, int)> Bits(IReadOnlyList<(string Name, Tensor Tensor)> tensors) =>
        tensors.SelectMany(t => t.Tensor.ToArray().Select(v => (t.Name, BitConverter.SingleToInt32Bits(v))));
}
