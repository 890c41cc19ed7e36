using GradClip.Adaptive;
using GradClip.Clipping;

namespace GradClip.Training;

/// <summary>
/// The state of the stateful clipping transforms in a trainer's clipping (the transform itself or the members of a
/// <see cref="Chain"/>), for a checkpoint. AutoClip and ZClip carry state; the other transforms are pure functions of the
/// gradients (guards count steps, but their counters do not change what they do).
/// </summary>
/// <param name="AutoClips">The state of each <see cref="AutoClip"/>, in the order they are applied.</param>
/// <param name="ZClips">The state of each <see cref="ZClip"/>, in the order they are applied.</param>
public sealed record ClippingState(IReadOnlyList<AutoClipState> AutoClips, IReadOnlyList<ZClipState> ZClips)
{
    /// <summary>The state of the stateful transforms in <paramref name="clipping"/>.</summary>
    internal static ClippingState Of(IGradientTransform clipping)
    {
        var members = Members(clipping).ToList();
        return new([.. members.OfType<AutoClip>().Select(a => a.ExportState())], [.. members.OfType<ZClip>().Select(z => z.ExportState())]);
    }

    /// <summary>Gives each stateful transform in <paramref name="clipping"/> its state from this record.</summary>
    /// <exception cref="ArgumentException">The counts of AutoClips or ZClips differ, or a state is invalid.</exception>
    internal void ApplyTo(IGradientTransform clipping)
    {
        var members = Members(clipping).ToList();
        var autoClips = members.OfType<AutoClip>().ToList();
        var zClips = members.OfType<ZClip>().ToList();
        if (autoClips.Count != AutoClips.Count || zClips.Count != ZClips.Count)
        {
            throw new ArgumentException(
                $"The clipping state is for {AutoClips.Count} AutoClip and {ZClips.Count} ZClip transforms, but the clipping has {autoClips.Count} and {zClips.Count}.");
        }
        for (int i = 0; i < autoClips.Count; i++)
        {
            autoClips[i].ImportState(AutoClips[i]);
        }
        for (int i = 0; i < zClips.Count; i++)
        {
            zClips[i].ImportState(ZClips[i]);
        }
    }

    private static IEnumerable<IGradientTransform> Members(IGradientTransform clipping) =>
        clipping is Chain chain ? chain.Transforms.SelectMany(Members) : [clipping];
}
