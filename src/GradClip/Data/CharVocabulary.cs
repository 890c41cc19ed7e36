using System.Collections.Immutable;
using System.Globalization;

namespace GradClip.Data;

/// <summary>The characters of a text, in ordinal order, each with its index: a character-level language model's tokens.</summary>
public sealed class CharVocabulary
{
    private readonly Dictionary<char, int> _indices;

    /// <summary>The vocabulary of the given characters (each once, sorted); at least two are needed.</summary>
    public CharVocabulary(IEnumerable<char> characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        Characters = [.. characters.Distinct().Order()];
        if (Characters.Length < 2)
        {
            throw new ArgumentException($"A vocabulary needs at least two characters, but has {Characters.Length}.", nameof(characters));
        }
        _indices = Characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The characters by index.</summary>
    public ImmutableArray<char> Characters { get; }

    /// <summary>The number of characters.</summary>
    public int Count => Characters.Length;

    /// <summary>The index of every character of <paramref name="text"/>; throws naming the first character the vocabulary lacks.</summary>
    /// <exception cref="ArgumentException">A character of the text is not in the vocabulary.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_indices.TryGetValue(text[i], out ids[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"character {i + 1} ({Describe(text[i])}) is not in the model's vocabulary of {Count} characters."), nameof(text));
            }
        }
        return ids;
    }

    /// <summary>The characters of the given indices.</summary>
    public string Decode(IEnumerable<int> ids) => new([.. ids.Select(i => Characters[i])]);

    /// <summary>A character as a reader can see it: printable ones quoted, others as U+XXXX.</summary>
    public static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c)
        ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")
        : $"'{c}'";
}
