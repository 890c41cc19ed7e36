namespace GradClip.Randomness;

/// <summary>
/// The Philox4x32-10 block function of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3" (SC 2011), as in
/// Random123 and PyTorch's CUDA generator: ten rounds that turn a 128-bit counter and a 64-bit key into 128 random bits.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;

    /// <summary>The four output words of counter (<paramref name="c0"/> … <paramref name="c3"/>) under key (<paramref name="k0"/>, <paramref name="k1"/>).</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            k0 += W0;
            k1 += W1;
        }
        return (c0, c1, c2, c3);
    }
}
