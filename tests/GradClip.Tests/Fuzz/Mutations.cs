using System.Text;
using CsCheck;

namespace GradClip.Tests.Fuzz;

/// <summary>
/// CsCheck generators of bad inputs: a valid seed file damaged by one to four edits (a bit flip, a truncation, a deletion,
/// a repeated run, random bytes or a format token inserted or written over), or bytes drawn at random.
/// </summary>
internal static class Mutations
{
    /// <summary>Bytes drawn at random, 0 to 512 of them.</summary>
    public static Gen<byte[]> RandomBytes { get; } = Gen.Byte.Array[0, 512];

    /// <summary>Tokens that mean something in CSV: separators, quotes, line ends, odd numbers, a byte-order mark, invalid UTF-8.</summary>
    public static IReadOnlyList<byte[]> CsvTokens { get; } =
    [
        .. new[] { ",", "\"", "\"\"", "\r", "\n", "\r\n", " \t ", "NaN", "inf", "-1e39", "1e309", "0x1F", "1,2,3,4,5,6,7,8,9", "\uFEFF", "\0" }
            .Select(Encoding.UTF8.GetBytes),
        [0xC3, 0x28],
        [0xFF],
        Encoding.ASCII.GetBytes(new string('9', 1_100)),
    ];

    /// <summary>Tokens that mean something in JSON: brackets, big and negative numbers, escapes, the safetensors keys.</summary>
    public static IReadOnlyList<byte[]> JsonTokens { get; } =
    [
        .. new[]
        {
            "null", "[]", "{}", "-1", "0", "1.5", "1e309", "2147483648", "9223372036854775808", "1048577", "\"", "\\u0000", "\\ud800",
            ",", ":", "[[[[[[[[[[", "{\"a\":", "\"__metadata__\"", "\"F32\"", "\"F64\"", "true",
        }.Select(Encoding.UTF8.GetBytes),
        [0xC3, 0x28],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
    ];

    /// <summary><paramref name="seed"/> with one to four edits, inserted tokens drawn from <paramref name="tokens"/>.</summary>
    public static Gen<byte[]> Of(byte[] seed, IReadOnlyList<byte[]> tokens) =>
        Gen.Int[1, 4].SelectMany(count => Edits(seed, count, tokens));

    /// <summary>Shows an input in a failure message: as text when it is UTF-8, else as base64.</summary>
    public static string Show(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        return Encoding.UTF8.GetByteCount(text) == input.Length && !text.Contains('\uFFFD')
            ? $"{input.Length} bytes: {text}"
            : $"{input.Length} bytes, base64: {Convert.ToBase64String(input)}";
    }

    private static Gen<byte[]> Edits(byte[] input, int count, IReadOnlyList<byte[]> tokens) =>
        count == 0 ? Gen.Const(input) : Edit(input, tokens).SelectMany(next => Edits(next, count - 1, tokens));

    private static Gen<byte[]> Edit(byte[] input, IReadOnlyList<byte[]> tokens)
    {
        var token = Gen.Int[0, tokens.Count - 1].Select(i => tokens[i]);
        var inserts = new[]
        {
            Gen.Select(Gen.Int[0, input.Length], Gen.Byte.Array[1, 8], (at, bytes) => Insert(input, at, bytes)),
            Gen.Select(Gen.Int[0, input.Length], token, (at, bytes) => Insert(input, at, bytes)),
        };
        if (input.Length == 0)
        {
            return Gen.OneOf(inserts);
        }
        int last = input.Length - 1;
        return Gen.OneOf(
        [
            .. inserts,
            Gen.Select(Gen.Int[0, last], Gen.Int[0, 7], (at, bit) => FlipBit(input, at, bit)),
            Gen.Int[0, last].Select(length => input[..length]),
            Gen.Select(Gen.Int[0, last], Gen.Int[1, 16], (at, length) => Delete(input, at, length)),
            Gen.Select(Gen.Int[0, last], Gen.Int[1, 64], (at, length) => Repeat(input, at, length)),
            Gen.Select(Gen.Int[0, last], token, (at, bytes) => Overwrite(input, at, bytes)),
        ]);
    }

    private static byte[] FlipBit(byte[] input, int at, int bit)
    {
        byte[] output = [.. input];
        output[at] ^= (byte)(1 << bit);
        return output;
    }

    private static byte[] Insert(byte[] input, int at, byte[] bytes) => [.. input[..at], .. bytes, .. input[at..]];

    private static byte[] Delete(byte[] input, int at, int length) => [.. input[..at], .. input[Math.Min(input.Length, at + length)..]];

    private static byte[] Repeat(byte[] input, int at, int length)
    {
        byte[] run = input[at..Math.Min(input.Length, at + length)];
        return Insert(input, at, run);
    }

    private static byte[] Overwrite(byte[] input, int at, byte[] bytes)
    {
        byte[] output = [.. input[..at], .. bytes];
        return at + bytes.Length < input.Length ? [.. output, .. input[(at + bytes.Length)..]] : output;
    }
}
