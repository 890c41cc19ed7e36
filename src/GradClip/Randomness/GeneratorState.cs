namespace GradClip.Randomness;

/// <summary>Everything a <see cref="Generator"/> needs to continue its stream exactly: the seed and how many 32-bit words it has used.</summary>
/// <param name="Seed">The seed, the Philox key.</param>
/// <param name="Offset">How many 32-bit words have been drawn since seeding.</param>
public sealed record GeneratorState(ulong Seed, ulong Offset);
