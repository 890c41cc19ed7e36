using System.Text.Json.Nodes;
using GradClip.Adaptive;
using GradClip.Monitoring;
using GradClip.Optim;
using GradClip.Randomness;
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
        var epochs = new List<EpochSummary> { EpochSummary.Of(1, steps[..2], 0.9, null) };
        var generator = new GeneratorCheckpoint(new GeneratorState(ulong.MaxValue, 8), new GeneratorState(ulong.MaxValue, (1UL << 60) + 3));
        return new TrainingCheckpoint(1, 1, weights, optimizer, clipping, 1, 0.9, weights, epochs, steps, generator);
    }

    [Fact]
    public void Round_trips_every_field_bit_for_bit_non_finite_figures_included()
    {
        var saved = Sample();
        var options = new Dictionary<string, string> { ["lr"] = "0.003", ["data"] = "/tmp/ünïcode.csv" };

        CheckpointFolder.Save(_folder.Path, saved, options);
        var (loaded, loadedOptions) = CheckpointFolder.Load(_folder.Path);

        Assert.Equal((1, 1, 1, 0.9), (loaded.Epoch, loaded.EpochStep, loaded.BestEpoch, loaded.BestLoss));
        Assert.Equal(options, loadedOptions);
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
        Assert.Equal(saved.Generator, loaded.Generator);
    }

    [Fact]
    public void A_folder_without_the_marker_is_refused_as_incomplete()
    {
        CheckpointFolder.Save(_folder.Path, Sample(), new Dictionary<string, string>());
        File.Delete(PathOf(CheckpointFolder.MarkerFile));

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains("checkpoint.json: not found, so the checkpoint is incomplete", error.Message);
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_no_marker_so_the_mixed_files_are_never_loaded()
    {
        CheckpointFolder.Save(_folder.Path, Sample(), new Dictionary<string, string>());
        File.Delete(PathOf(CheckpointFolder.HistoryFile));
        Directory.CreateDirectory(PathOf(CheckpointFolder.HistoryFile));

        Assert.Throws<IOException>(() => CheckpointFolder.Save(_folder.Path, Sample() with { Epoch = 1 }, new Dictionary<string, string>()));

        Assert.False(File.Exists(PathOf(CheckpointFolder.MarkerFile)));
        Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));
    }

    [Fact]
    public void A_missing_folder_is_refused_naming_it() =>
        Assert.Contains("no such folder", Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(PathOf("absent"))).Message);

    [Theory]
    [InlineData("epoch", "2", "holds 1 epochs and 3 steps, but checkpoint.json names 2 and 3")]
    [InlineData("epoch_step", "2", "holds 1 steps of epoch 2, but checkpoint.json names 2")]
    [InlineData("format", "\"onnx\"", "is not a GradClip checkpoint")]
    [InlineData("steps", "-1", "none may be negative")]
    [InlineData("extra", "1", "is not a valid checkpoint file")]
    public void A_marker_that_disagrees_with_the_files_is_refused_naming_the_problem(string field, string value, string expected)
    {
        CheckpointFolder.Save(_folder.Path, Sample(), new Dictionary<string, string>());
        var marker = JsonNode.Parse(File.ReadAllText(PathOf(CheckpointFolder.MarkerFile)))!.AsObject();
        marker[field] = JsonNode.Parse(value);
        File.WriteAllText(PathOf(CheckpointFolder.MarkerFile), marker.ToJsonString());

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_optimizer_buffer_is_refused_naming_the_tensor()
    {
        var sample = Sample();
        CheckpointFolder.Save(_folder.Path, sample with { Optimizer = new OptimizerState(0.1, [new AdamState(1, [1, 2, 3, 4], [1, 1, 1, 1], []), null]) },
            new Dictionary<string, string>());
        var state = JsonNode.Parse(File.ReadAllText(PathOf(CheckpointFolder.StateFile)))!.AsObject();
        state["optimizer"]!["steps"] = JsonNode.Parse("[1, 1]");
        File.WriteAllText(PathOf(CheckpointFolder.StateFile), state.ToJsonString());

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFolder.Load(_folder.Path));

        Assert.Contains("has no tensor '1.exp_avg'", error.Message);
    }

    private static IEnumerable<(string, int)> Bits(IReadOnlyList<(string Name, Tensor Tensor)> tensors) =>
        tensors.SelectMany(t => t.Tensor.ToArray().Select(v => (t.Name, BitConverter.SingleToInt32Bits(v))));
}
