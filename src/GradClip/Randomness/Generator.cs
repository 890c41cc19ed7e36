namespace GradClip.Randomness;

/// <summary>
/// The seedable random number generator every draw of a run comes from (initialization, shuffling, dropout), as
/// PyTorch's <c>torch.Generator</c>: a counter-based Philox4x32-10 stream whose whole state is the seed and a word
/// offset, so that <see cref="GetState"/> and <see cref="SetState"/> save and restore it exactly (in a checkpoint).
/// </summary>
/// <remarks>
/// Word i of the stream is word i mod 4 of <see cref="Philox.Block"/> at counter (⌊i/4⌋ low, ⌊i/4⌋ high, 0, 0) under the
/// key (seed low, seed high). It derives from <see cref="Random"/> so that every API taking one accepts it; every
/// virtual member is overridden, so nothing is drawn from the base class. Integers in a range are unbiased (Lemire's
/// multiply-and-reject); doubles carry 53 random bits, floats 24. Not thread-safe.
/// </remarks>
public sealed class Generator : Random
{
    private ulong _seed;
    private ulong _offset;
    private ulong _block = ulong.MaxValue;
    private (uint X0, uint X1, uint X2, uint X3) _words;

    /// <summary>A generator seeded with <paramref name="seed"/>, at the start of its stream.</summary>
    public Generator(ulong seed) => _seed = seed;

    /// <summary>A generator seeded with <paramref name="seed"/> (its two's-complement bits), at the start of its stream.</summary>
    public Generator(int seed)
        : this((ulong)(long)seed)
    {
    }

    /// <summary>The seed the stream started from (PyTorch's <c>initial_seed</c>).</summary>
    public ulong InitialSeed => _seed;

    /// <summary>Restarts the stream from <paramref name="seed"/> (PyTorch's <c>manual_seed</c>).</summary>
    public void ManualSeed(ulong seed) => SetState(new GeneratorState(seed, 0));

    /// <summary>The state to continue from later with <see cref="SetState"/> (PyTorch's <c>get_state</c>).</summary>
    public GeneratorState GetState() => new(_seed, _offset);

    /// <summary>Continues the stream from <paramref name="state"/> (PyTorch's <c>set_state</c>).</summary>
    public void SetState(GeneratorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _seed = state.Seed;
        _offset = state.Offset;
        _block = ulong.MaxValue;
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt32()
    {
        ulong block = _offset >> 2;
        if (block != _block)
        {
            _words = Philox.Block((uint)block, (uint)(block >> 32), 0, 0, (uint)_seed, (uint)(_seed >> 32));
            _block = block;
        }
        uint word = (_offset & 3) switch
        {
            0 => _words.X0,
            1 => _words.X1,
            2 => _words.X2,
            _ => _words.X3,
        };
        _offset++;
        return word;
    }

    /// <summary>The next 64 random bits: two words, the first the high half.</summary>
    public ulong NextUInt64() => ((ulong)NextUInt32() << 32) | NextUInt32();

    /// <inheritdoc/>
    public override int Next() => Below(int.MaxValue);

    /// <inheritdoc/>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return Below(maxValue);
    }

    /// <inheritdoc/>
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)BelowLong((ulong)((long)maxValue - minValue)));
    }

    /// <inheritdoc/>
    public override long NextInt64() => (long)BelowLong(long.MaxValue);

    /// <inheritdoc/>
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (long)BelowLong((ulong)maxValue);
    }

    /// <inheritdoc/>
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return unchecked(minValue + (long)BelowLong((ulong)(maxValue - minValue)));
    }

    /// <inheritdoc/>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc/>
    public override float NextSingle() => (NextUInt32() >> 8) * (1f / (1 << 24));

    /// <inheritdoc/>
    public override void NextBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        NextBytes(buffer.AsSpan());
    }

    /// <inheritdoc/>
    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)NextUInt32();
        }
    }

    /// <inheritdoc/>
    protected override double Sample() => NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), 0 when the bound is 0.</summary>
    private int Below(int bound) => (int)BelowLong((ulong)bound);

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) by Lemire's method, 0 when the bound is 0.</summary>
    private ulong BelowLong(ulong bound)
    {
        if (bound <= uint.MaxValue)
        {
            // 32 bits suffice: one word per draw, and a second only on the rare rejection.
            uint small = (uint)bound;
            ulong product = (ulong)NextUInt32() * small;
            if ((uint)product < small)
            {
                uint threshold = (0u - small) % small;
                while ((uint)product < threshold)
                {
                    product = (ulong)NextUInt32() * small;
                }
            }
            return product >> 32;
        }
        ulong high = Math.BigMul(NextUInt64(), bound, out ulong low);
        if (low < bound)
        {
            ulong limit = (0 - bound) % bound;
            while (low < limit)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }
        return high;
    }
}
