namespace GradClip.Autograd;

/// <summary>Where a narrowed tensor lies in its source seen as (outer, size, inner): elements Start to Start + Length − 1 of the middle axis.</summary>
internal readonly record struct SliceRange(int Outer, int Size, int Start, int Length, int Inner);
