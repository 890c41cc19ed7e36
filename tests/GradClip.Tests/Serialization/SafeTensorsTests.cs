using System.Buffers.Binary;
using System.Text;
using GradClip.Serialization;
using GradClip.Tensors;

namespace GradClip.Tests.Serialization;

public class SafeTensorsTests
{
    private static byte[] FileOf(string header, params float[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + 4 * data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + headerBytes.Length + 4 * i), data[i]);
        }
        return bytes;
    }

    [Fact]
    public void Reads_a_file_built_by_hand_from_the_format_description()
    {
        var bytes = FileOf(
            """{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[],"data_offsets":[16,20]},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""",
            1, 2, 3, 4, 5);

        var content = SafeTensors.Parse(bytes, "hand.safetensors");

        Assert.Equal(["w", "b"], content.Tensors.Select(t => t.Name));
        Assert.Equal([2, 2], content["w"].Shape);
        Assert.Equal([1f, 2, 3, 4], content["w"].ToArray());
        Assert.Empty(content["b"].Shape);
        Assert.Equal([5f], content["b"].ToArray());
        Assert.Equal("pt", content.Metadata["format"]);
        Assert.Equal("w", content["w"].Name);
    }

    [Fact]
    public void Round_trips_names_shapes_values_and_metadata_bit_for_bit()
    {
        var w = Tensor.FromArray([1.5f, -0f, float.NaN, float.PositiveInfinity, float.Epsilon, 3e38f], 2, 3);
        var empty = Tensor.Zeros(0, 4);
        var path = Path.Combine(Path.GetTempPath(), $"gradclip-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Write(path, [("layers.0.weight", w), ("empty", empty)], new Dictionary<string, string> { ["epoch"] = "3" });
            var content = SafeTensors.Read(path);

            Assert.Equal(
                w.ToArray().Select(BitConverter.SingleToInt32Bits),
                content["layers.0.weight"].ToArray().Select(BitConverter.SingleToInt32Bits));
            Assert.Equal([2, 3], content["layers.0.weight"].Shape);
            Assert.Equal([0, 4], content["empty"].Shape);
            Assert.Equal("3", content.Metadata["epoch"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_data_starts_8_byte_aligned()
    {
        var bytes = SafeTensors.Serialize([("x", Tensor.FromArray([1f]))]);

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (long)headerLength + 4, bytes.Length);
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,4]}}""", "dtype \"F16\"")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", "needs 8 bytes, but data_offsets give 4")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "shape holds -1")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", "begin ≤ end")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1]}}""", "has no 'data_offsets'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "names 'x' twice")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "starts at data byte 0, but 4 was expected")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "starts at data byte 4, but 0 was expected")]
    [InlineData("""{"x":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}""", "cover 0 bytes of data, but the file holds 4")]
    [InlineData("""{"x":{"dtype":"F32","shape":[3000000000,3000000000],"data_offsets":[0,4]}}""", "larger than a tensor can be")]
    [InlineData("""{"__metadata__":{"a":1}}""", "not a string")]
    [InlineData("""[1,2]""", "not an object")]
    [InlineData("""{"x":""", "not valid JSON")]
    public void A_malformed_header_is_rejected_with_the_problem_named(string header, string problem)
    {
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Parse(FileOf(header, 1f), "bad.safetensors"));

        Assert.Contains(problem, ex.Message);
        Assert.StartsWith("bad.safetensors: ", ex.Message);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected_before_allocating()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);

        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Parse(bytes, "f"));

        Assert.Contains("the header claims", ex.Message);
        Assert.Contains("too short", Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Parse(new byte[3], "f")).Message);
    }

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read("/nonexistent/model.safetensors"));

        Assert.Contains("/nonexistent/model.safetensors", ex.Message);
    }

    [Fact]
    public void Randomly_corrupted_files_give_only_the_format_error()
    {
        var good = SafeTensors.Serialize(
            [("a", Tensor.FromArray([1, 2, 3, 4], 2, 2)), ("b", Tensor.FromArray([5f]))],
            new Dictionary<string, string> { ["k"] = "v" });
        var random = new Random(42);
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])good.Clone();
            int flips = 1 + random.Next(4);
            for (int f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            var cut = bytes.AsSpan(0, random.Next(4) == 0 ? random.Next(bytes.Length) : bytes.Length).ToArray();
            try
            {
                SafeTensors.Parse(cut, "fuzz");
            }
            catch (SafeTensorsFormatException)
            {
            }
        }
    }

    [Fact]
    public void Writing_rejects_repeated_or_reserved_names()
    {
        var t = Tensor.Zeros(1);

        Assert.Throws<ArgumentException>(() => SafeTensors.Serialize([("a", t), ("a", t)]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Serialize([("__metadata__", t)]));
    }
}
