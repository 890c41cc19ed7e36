using System.Runtime.CompilerServices;

namespace GradClip.Kernels;

/// <summary>
/// A list of buffers as the multi-tensor kernels read it. The kernels are generic over struct implementations, so an
/// array or a <see cref="List{T}"/> is read without an interface call per tensor.
/// </summary>
internal interface IBufferList
{
    int Count { get; }

    int LengthOf(int index);

    Span<float> SpanOf(int index);
}

internal readonly struct ArrayBufferList(Memory<float>[] buffers) : IBufferList
{
    public int Count => buffers.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LengthOf(int index) => buffers[index].Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> SpanOf(int index) => buffers[index].Span;
}

internal readonly struct ListBufferList(List<Memory<float>> buffers) : IBufferList
{
    public int Count => buffers.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LengthOf(int index) => buffers[index].Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<float> SpanOf(int index) => buffers[index].Span;
}

internal readonly struct ReadOnlyListBufferList(IReadOnlyList<Memory<float>> buffers) : IBufferList
{
    public int Count => buffers.Count;

    public int LengthOf(int index) => buffers[index].Length;

    public Span<float> SpanOf(int index) => buffers[index].Span;
}
