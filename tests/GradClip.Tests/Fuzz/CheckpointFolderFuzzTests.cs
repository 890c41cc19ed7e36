using CsCheck;
using GradClip.Serialization;
using GradClip.Tests.Data;
using GradClip.Tests.Training;
using GradClip.Training;

namespace GradClip.Tests.Fuzz;

public sealed class CheckpointFolderFuzzTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public CheckpointFolderFuzzTests() =>
        CheckpointFolder.Save(_folder.Path, CheckpointFolderTests.Sample(), new Dictionary<string, string> { ["lr"] = "0.003" });

    public void Dispose() => _folder.Dispose();

    /// <summary>How many inputs each file gets: a load reads six files, so the six properties share about 3,600 loads.</summary>
    private const int IterationsPerFile = 600;

    /// <summary>Each input replaces one file of a valid checkpoint, then the whole checkpoint is loaded.</summary>
    private void FuzzFile(string file, Gen<byte[]> inputs)
    {
        string path = Path.Combine(_folder.Path, file);
        ReaderProbe.Sample<CheckpointFormatException>(inputs, input =>
        {
            File.WriteAllBytes(path, input);
            var (checkpoint, _) = CheckpointFolder.Load(_folder.Path);
            Assert.Equal(checkpoint.Epoch, checkpoint.Epochs.Count);
        }, IterationsPerFile);
    }

    private Gen<byte[]> Mutated(string file, IReadOnlyList<byte[]> tokens) =>
        Mutations.Of(File.ReadAllBytes(Path.Combine(_folder.Path, file)), tokens);

    [Theory]
    [InlineData(CheckpointFolder.MarkerFile)]
    [InlineData(CheckpointFolder.StateFile)]
    [InlineData(CheckpointFolder.HistoryFile)]
    public void Mutated_json_files_give_a_checkpoint_or_a_CheckpointFormatException_quickly_and_in_bounded_memory(string file) =>
        FuzzFile(file, Mutated(file, Mutations.JsonTokens));

    [Theory]
    [InlineData(CheckpointFolder.OptimizerFile)]
    [InlineData(CheckpointFolder.WeightsFile)]
    public void Mutated_tensor_files_give_a_checkpoint_or_a_CheckpointFormatException_quickly_and_in_bounded_memory(string file) =>
        FuzzFile(file, Mutated(file, Mutations.JsonTokens));

    [Fact]
    public void Random_bytes_as_the_marker_give_a_CheckpointFormatException_quickly_and_in_bounded_memory() =>
        FuzzFile(CheckpointFolder.MarkerFile, Mutations.RandomBytes);

    [Fact]
    public void The_seed_checkpoint_loads_so_mutations_start_from_a_real_one() =>
        Assert.Equal(3, CheckpointFolder.Load(_folder.Path).Checkpoint.Steps.Count);
}
