using System.Text.Json;

namespace GradClip.Serialization;

/// <summary>A validated safetensors header: the tensor entries sorted by their place in the data, and the metadata.</summary>
internal sealed class SafeTensorsHeader
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 8, AllowTrailingCommas = false };
    private readonly string _source;

    private SafeTensorsHeader(string source, List<SafeTensorsEntry> entries, Dictionary<string, string> metadata)
    {
        _source = source;
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The tensors, in the order of their byte ranges.</summary>
    public List<SafeTensorsEntry> Entries { get; }

    /// <summary>The string metadata.</summary>
    public Dictionary<string, string> Metadata { get; }

    /// <summary>Parses the JSON header, checking every entry's form.</summary>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, string source)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new SafeTensorsFormatException(source, "the header is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), s_options);
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(source, $"the header is not valid JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafeTensorsFormatException(source, $"the header is a JSON {document.RootElement.ValueKind}, not an object.");
            }
            try
            {
                return Read(document.RootElement, source);
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument accepts an escaped lone surrogate (\ud800) but throws this when the name or string is read.
                throw new SafeTensorsFormatException(source, $"the header holds a name or string that is not valid text: {ex.Message}", ex);
            }
        }
    }

    private static SafeTensorsHeader Read(JsonElement root, string source)
    {
        var entries = new List<SafeTensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new SafeTensorsFormatException(source, $"the header names '{property.Name}' twice.");
            }
            if (property.Name == SafeTensors.MetadataKey)
            {
                ReadMetadata(property.Value, metadata, source);
            }
            else
            {
                entries.Add(ReadEntry(property.Name, property.Value, source));
            }
        }
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        return new SafeTensorsHeader(source, entries, metadata);
    }

    /// <summary>Checks that the byte ranges follow one another from 0 with no gap or overlap and end at the data's end.</summary>
    public void CheckTiling(long dataLength)
    {
        long expected = 0;
        foreach (var entry in Entries)
        {
            if (entry.Begin != expected)
            {
                throw new SafeTensorsFormatException(_source,
                    $"tensor '{entry.Name}' starts at data byte {entry.Begin}, but {expected} was expected: the ranges must follow one another without gaps or overlaps.");
            }
            expected = entry.End;
        }
        if (expected != dataLength)
        {
            throw new SafeTensorsFormatException(_source, $"the tensors cover {expected} bytes of data, but the file holds {dataLength}.");
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(source, "__metadata__ must be an object of strings.");
        }
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafeTensorsFormatException(source, $"__metadata__ entry '{item.Name}' is a {item.Value.ValueKind}, not a string.");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new SafeTensorsFormatException(source, $"__metadata__ names '{item.Name}' twice.");
            }
        }
    }

    private static SafeTensorsEntry ReadEntry(string name, JsonElement value, string source)
    {
        string where = $"tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SafeTensorsFormatException(source, $"{where} is a JSON {value.ValueKind}, not an object.");
        }
        var dtype = Required(value, "dtype", where, source);
        if (dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "F32")
        {
            throw new SafeTensorsFormatException(source, $"{where} has dtype {dtype.GetRawText()}; only \"F32\" (float32) is supported.");
        }
        long[] shape = Integers(Required(value, "shape", where, source), $"{where} shape", source);
        long[] offsets = Integers(Required(value, "data_offsets", where, source), $"{where} data_offsets", source);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw new SafeTensorsFormatException(source, $"{where}: data_offsets must be [begin, end] with begin ≤ end.");
        }
        long count = 1;
        foreach (long d in shape)
        {
            if (d > Array.MaxLength || (count = count * d) > Array.MaxLength)
            {
                throw new SafeTensorsFormatException(source, $"{where}: shape [{string.Join(", ", shape)}] is larger than a tensor can be.");
            }
        }
        if (offsets[1] - offsets[0] != 4 * count)
        {
            throw new SafeTensorsFormatException(source,
                $"{where}: shape [{string.Join(", ", shape)}] needs {4 * count} bytes, but data_offsets give {offsets[1] - offsets[0]}.");
        }
        return new SafeTensorsEntry(name, shape.Select(d => (int)d).ToArray(), offsets[0], offsets[1]);
    }

    private static JsonElement Required(JsonElement value, string field, string where, string source) =>
        value.TryGetProperty(field, out var element)
            ? element
            : throw new SafeTensorsFormatException(source, $"{where} has no '{field}'.");

    private static long[] Integers(JsonElement array, string what, string source)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > 64)
        {
            throw new SafeTensorsFormatException(source, $"{what} must be an array of at most 64 non-negative integers.");
        }
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
            {
                throw new SafeTensorsFormatException(source,
                    $"{what} holds {item.GetRawText()}, not a non-negative integer.");
            }
            values[i++] = v;
        }
        return values;
    }
}
