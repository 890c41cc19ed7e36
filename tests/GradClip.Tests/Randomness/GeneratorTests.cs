using GradClip.Randomness;

namespace GradClip.Tests.Randomness;

public class GeneratorTests
{
    [Fact]
    public void Its_stream_is_the_philox_blocks_of_counters_0_1_2_under_the_seed()
    {
        const ulong seed = 0x299f31d0_a4093822;
        var generator = new Generator(seed);

        uint[] words = [.. Enumerable.Range(0, 12).Select(_ => generator.NextUInt32())];

        for (uint block = 0; block < 3; block++)
        {
            var expected = Philox.Block(block, 0, 0, 0, 0xa4093822, 0x299f31d0);
            Assert.Equal(expected, (words[4 * block], words[4 * block + 1], words[4 * block + 2], words[4 * block + 3]));
        }
    }

    [Fact]
    public void Seed_zero_starts_with_the_all_zero_known_answer()
    {
        var generator = new Generator(0);

        Assert.Equal(0x6627e8d5u, generator.NextUInt32());
        Assert.Equal(0xe169c58du, generator.NextUInt32());
        Assert.Equal((0xbc57ac4cUL << 32) | 0x9b00dbd8, generator.NextUInt64());
    }

    [Fact]
    public void A_saved_state_continues_the_stream_exactly_in_another_generator()
    {
        var generator = new Generator(42);
        for (int i = 0; i < 7; i++)
        {
            generator.NextDouble();
        }
        var state = generator.GetState();
        double[] expected = [.. Enumerable.Range(0, 50).Select(_ => generator.NextDouble())];

        var other = new Generator(1);
        other.NextUInt32();
        other.SetState(state);

        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => other.NextDouble()));
        Assert.Equal(new GeneratorState(42, 14 + 100), other.GetState());
    }

    [Fact]
    public void Manual_seed_restarts_the_stream()
    {
        var generator = new Generator(5);
        uint first = generator.NextUInt32();
        generator.NextUInt64();

        generator.ManualSeed(5);

        Assert.Equal(first, generator.NextUInt32());
        Assert.Equal(5UL, generator.InitialSeed);
    }

    [Fact]
    public void Doubles_take_the_top_53_bits_of_two_words_and_floats_the_top_24_of_one()
    {
        var words = new Generator(3);
        ulong bits = words.NextUInt64();
        uint word = words.NextUInt32();
        var generator = new Generator(3);

        Assert.Equal((bits >> 11) / 9007199254740992.0, generator.NextDouble());
        Assert.Equal((word >> 8) / 16777216f, generator.NextSingle());
    }

    [Fact]
    public void Integers_in_a_range_stay_in_it_and_are_evenly_spread()
    {
        var generator = new Generator(11);
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++)
        {
            counts[generator.Next(6)]++;
            int x = generator.Next(-3, 4);
            Assert.InRange(x, -3, 3);
            long y = generator.NextInt64(long.MinValue / 2, long.MaxValue / 2);
            Assert.InRange(y, long.MinValue / 2, long.MaxValue / 2 - 1);
        }
        // χ² with 5 degrees of freedom: 20.5 is its 99.9th percentile.
        double chi2 = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi2 < 20.5, $"χ² = {chi2}, counts {string.Join(",", counts)}");
        Assert.Equal(0, generator.Next(0));
        Assert.Equal(7, generator.Next(7, 7));
    }

    [Fact]
    public void Shuffles_through_the_random_base_class_draw_from_the_stream()
    {
        int[] a = [.. Enumerable.Range(0, 100)];
        int[] b = [.. Enumerable.Range(0, 100)];

        new Generator(9).Shuffle(a);
        new Generator(9).Shuffle(b);
        int[] c = [.. Enumerable.Range(0, 100)];
        new Generator(10).Shuffle(c);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
    }

    [Fact]
    public void Refuses_a_negative_bound_and_an_inverted_range()
    {
        var generator = new Generator(0);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Next(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Next(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.NextInt64(-1));
    }
}
