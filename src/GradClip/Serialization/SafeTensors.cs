using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using GradClip.Tensors;

namespace GradClip.Serialization;

/// <summary>
/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header, then the raw data):
/// safe to load from anywhere, since nothing in it is executed.
/// </summary>
/// <remarks>
/// The reader trusts nothing: the header length is bounded, the JSON is validated, every dtype, shape and byte range is
/// checked, and the ranges must tile the data exactly, before any tensor is allocated. Only float32 (<c>F32</c>) tensors are
/// supported, the engine's one type.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>The largest file <see cref="Read"/> accepts: about the most a .NET array holds.</summary>
    public const int MaxFileBytes = 2_000_000_000;

    /// <summary>The header key that holds string metadata instead of a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        byte[] bytes = Serialize(tensors, metadata);
        AtomicFile.WriteBytes(path, bytes);
    }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static SafeTensorsContent Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = RegularFile.ReadAllBytes(path, MaxFileBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsFormatException(path, $"cannot be read: {ex.Message}", ex);
        }
        return Parse(bytes, path);
    }

    /// <summary>The file's bytes for the given tensors and metadata.</summary>
    public static byte[] Serialize(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = Header(tensors, metadata);
        long dataBytes = tensors.Sum(t => 4L * t.Tensor.Count);
        var bytes = new byte[checked(8 + header.Length + dataBytes)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        int offset = 8 + header.Length;
        foreach (var (_, tensor) in tensors)
        {
            var target = bytes.AsSpan(offset, 4 * tensor.Count);
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.AsBytes(tensor.Span).CopyTo(target);
            }
            else
            {
                for (int i = 0; i < tensor.Count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(target[(4 * i)..], tensor.Span[i]);
                }
            }
            offset += 4 * tensor.Count;
        }
        return bytes;
    }

    /// <summary>Parses and validates safetensors bytes; <paramref name="source"/> names them in errors.</summary>
    public static SafeTensorsContent Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
        {
            throw new SafeTensorsFormatException(source, $"is {bytes.Length} bytes long, too short for the 8-byte header length.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new SafeTensorsFormatException(source,
                $"the header claims {headerLength} bytes, but at most {Math.Min(MaxHeaderBytes, bytes.Length - 8)} are possible here.");
        }
        var header = SafeTensorsHeader.Parse(bytes.Slice(8, (int)headerLength), source);
        var data = bytes[(8 + (int)headerLength)..];
        header.CheckTiling(data.Length);
        var tensors = new List<(string Name, Tensor Tensor)>(header.Entries.Count);
        foreach (var entry in header.Entries)
        {
            tensors.Add((entry.Name, Load(data, entry)));
        }
        return new SafeTensorsContent(tensors, header.Metadata);
    }

    private static Tensor Load(ReadOnlySpan<byte> data, SafeTensorsEntry entry)
    {
        var values = new float[(entry.End - entry.Begin) / 4];
        var slice = data[(int)entry.Begin..(int)entry.End];
        if (BitConverter.IsLittleEndian)
        {
            slice.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(slice[(4 * i)..]);
            }
        }
        var tensor = entry.Shape.Length == 0 ? Tensor.Scalar(values[0]) : Tensor.FromArray(values, entry.Shape);
        tensor.Name = entry.Name;
        return tensor;
    }

    private static byte[] Header(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                if (string.IsNullOrEmpty(name) || name == MetadataKey || !names.Add(name))
                {
                    throw new ArgumentException($"Tensor name '{name}' is empty, reserved or repeated.", nameof(tensors));
                }
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += 4L * tensor.Count);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so that the data starts 8-byte aligned, as the format recommends.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        return buffer.ToArray();
    }
}
