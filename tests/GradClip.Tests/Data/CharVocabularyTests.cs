using GradClip.Data;

namespace GradClip.Tests.Data;

public class CharVocabularyTests
{
    [Fact]
    public void Indexes_each_distinct_character_in_ordinal_order_and_decodes_back()
    {
        var vocabulary = new CharVocabulary("banana\n");

        Assert.Equal(['\n', 'a', 'b', 'n'], vocabulary.Characters.ToArray());
        Assert.Equal([2, 1, 3, 0], vocabulary.Encode("ban\n"));
        Assert.Equal("nab", vocabulary.Decode([3, 1, 2]));
    }

    [Fact]
    public void A_character_outside_the_vocabulary_is_named_with_its_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CharVocabulary("ab").Encode("ab\tz"));

        Assert.Contains("character 3 (U+0009)", ex.Message);
    }

    [Fact]
    public void One_character_is_not_a_vocabulary()
    {
        Assert.Throws<ArgumentException>(() => new CharVocabulary("aaa"));
    }
}
