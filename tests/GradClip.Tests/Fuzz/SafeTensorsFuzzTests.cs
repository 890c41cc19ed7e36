using System.Buffers.Binary;
using System.Text;
using GradClip.Serialization;
using GradClip.Tensors;

namespace GradClip.Tests.Fuzz;

public class SafeTensorsFuzzTests
{
    private static readonly byte[] Seed = SafeTensors.Serialize(
        [("0.weight", Tensor.FromArray([1f, -2, 3, 0.5f, 0, 7], 2, 3)), ("0.bias", Tensor.FromArray([0.25f, -1], 2)), ("step", Tensor.Scalar(4))],
        new Dictionary<string, string> { ["format"] = "gradclip-mlp" });

    private static void Read(byte[] input)
    {
        var content = SafeTensors.Parse(input, "fuzz.safetensors");
        Assert.Equal(content.Tensors.Count, content.Tensors.Select(t => t.Name).Distinct().Count());
        Assert.True(content.Tensors.Sum(t => 4L * t.Tensor.Count) <= input.Length);
    }

    [Fact]
    public void The_seed_file_is_valid_so_mutations_start_from_real_tensors() =>
        Assert.Equal(3, SafeTensors.Parse(Seed, "seed.safetensors").Tensors.Count);

    [Fact]
    public void Mutated_files_give_tensors_or_a_SafeTensorsFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<SafeTensorsFormatException>(Mutations.Of(Seed, Mutations.JsonTokens), Read);

    [Fact]
    public void Random_bytes_give_tensors_or_a_SafeTensorsFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<SafeTensorsFormatException>(Mutations.RandomBytes, Read);

    [Theory]
    [InlineData("""{"w\ud800":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""")]
    [InlineData("""{"__metadata__":{"k":"\udc00"}}""")]
    public void Found_by_fuzzing_an_escaped_lone_surrogate_is_a_format_error_not_an_InvalidOperationException(string header)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] file = [.. new byte[8], .. json, .. new byte[4]];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Parse(file, "lone.safetensors"));

        Assert.Contains("not valid text", error.Message);
    }
}
