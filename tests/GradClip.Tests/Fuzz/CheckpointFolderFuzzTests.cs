using System.Security.Cryptography;
using System.Text.Json.Nodes;
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
        CheckpointWriter.StartNew(_folder.Path).Save(CheckpointFolderTests.Sample(), CheckpointFolderTests.Context());

    public void Dispose() => _folder.Dispose();

    /// <summary>How many inputs each file gets: a load reads six files, so the six properties share about 3,600 loads.</summary>
    private const int IterationsPerFile = 600;

    /// <summary>
    /// Each input replaces one file of a valid checkpoint, then the whole checkpoint is loaded. The marker is made to agree
    /// with a replaced generation file (its SHA-256) or history (its length), so that the input reaches the file's reader
    /// instead of stopping at the hash check.
    /// </summary>
    private void FuzzFile(string file, Gen<byte[]> inputs)
    {
        string path = PathOf(file);
        string marker = PathOf(CheckpointFolder.MarkerFile);
        byte[] original = File.ReadAllBytes(marker);
        ReaderProbe.Sample<CheckpointFormatException>(inputs, input =>
        {
            File.WriteAllBytes(path, input);
            if (file != CheckpointFolder.MarkerFile)
            {
                File.WriteAllBytes(marker, Agreeing(original, file, input));
            }
            var (checkpoint, _) = CheckpointFolder.Load(_folder.Path);
            Assert.Equal(checkpoint.Epoch, checkpoint.Epochs.Count);
        }, IterationsPerFile);
    }

    /// <summary>The marker with the hash or length of <paramref name="file"/> set to those of <paramref name="input"/>.</summary>
    private static byte[] Agreeing(byte[] marker, string file, byte[] input)
    {
        var json = JsonNode.Parse(marker)!.AsObject();
        if (file == CheckpointFolder.HistoryFile)
        {
            json["history_bytes"] = input.Length;
        }
        else
        {
            json["files"]![file] = Convert.ToHexStringLower(SHA256.HashData(input));
        }
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <summary>Where <paramref name="file"/> is: the history and marker in the folder, the others in the first generation.</summary>
    private string PathOf(string file) =>
        Path.Combine(_folder.Path, file is CheckpointFolder.MarkerFile or CheckpointFolder.HistoryFile ? "" : "g-00000001", file);

    private Gen<byte[]> Mutated(string file, IReadOnlyList<byte[]> tokens) =>
        Mutations.Of(File.ReadAllBytes(PathOf(file)), tokens);

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
