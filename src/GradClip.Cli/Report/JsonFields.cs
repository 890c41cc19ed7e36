using System.Text.Json;

namespace GradClip.Cli.Report;

/// <summary>Typed access to the keys of a JSON object from a run's files; a missing key or a wrong type throws <see cref="InvalidDataException"/> naming the key.</summary>
internal static class JsonFields
{
    /// <summary>The JSON object in <paramref name="text"/>.</summary>
    public static JsonElement Object(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not valid JSON ({ex.Message})", ex);
        }
        return root.ValueKind == JsonValueKind.Object ? root : throw new InvalidDataException($"expected a JSON object, found {Describe(root)}.");
    }

    /// <summary>A number that may be null (the run writes null for a missing or non-finite figure).</summary>
    public static double? NullableNumber(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when value.TryGetDouble(out double number) => number,
            _ => throw WrongType(key, "a number or null", value),
        };
    }

    /// <summary>A number that must be present.</summary>
    public static double Number(JsonElement json, string key) =>
        NullableNumber(json, key) ?? throw WrongType(key, "a number", Key(json, key));

    /// <summary>A whole number that must be present.</summary>
    public static int Integer(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : throw WrongType(key, "a whole number", value);
    }

    /// <summary>A whole number that may be null, but must be present.</summary>
    public static int? NullableInteger(JsonElement json, string key) =>
        Key(json, key).ValueKind == JsonValueKind.Null ? null : Integer(json, key);

    /// <summary>A whole number, or null when the key is absent or null.</summary>
    public static int? OptionalInteger(JsonElement json, string key) =>
        json.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? Integer(json, key) : null;

    /// <summary>A true or false value.</summary>
    public static bool Boolean(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(key, "true or false", value),
        };
    }

    /// <summary>A string that must be present.</summary>
    public static string Text(JsonElement json, string key) =>
        NullableText(json, key) ?? throw WrongType(key, "a string", Key(json, key));

    /// <summary>A string that may be null.</summary>
    public static string? NullableText(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => throw WrongType(key, "a string or null", value),
        };
    }

    /// <summary>The entries of an object-valued key, in the file's order.</summary>
    public static IEnumerable<JsonProperty> Entries(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : throw WrongType(key, "an object", value);
    }

    /// <summary>The items of an array-valued key.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement json, string key)
    {
        var value = Key(json, key);
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw WrongType(key, "an array", value);
    }

    private static JsonElement Key(JsonElement json, string key) =>
        json.TryGetProperty(key, out var value) ? value : throw new InvalidDataException($"the key '{key}' is missing.");

    private static InvalidDataException WrongType(string key, string expected, JsonElement found) =>
        new($"'{key}' should be {expected}, but is {Describe(found)}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
