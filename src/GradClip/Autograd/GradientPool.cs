using Tensor = GradClip.Tensors.Tensor;

namespace GradClip.Autograd;

/// <summary>
/// The float arrays of a backward pass's intermediate gradients, and of what ops save for their backward rules, reused
/// from one pass to the next on the calling thread, so that a steady-state training step allocates none of them.
/// </summary>
/// <remarks>
/// While a pass runs, every array of 4,096 floats or more that an op allocates comes from here (<see cref="Rent"/>).
/// Only the pass can reach such an array: it counts the pending gradients holding each one (views share the count of
/// their array), and an array goes back when none holds it any more. An array that becomes a leaf's Grad escapes and is never
/// taken back; one an op used for its own scratch goes back when the pass ends. A pass that throws gives nothing back,
/// so an array is never reused while anything might still read it.
/// </remarks>
internal sealed class GradientPool
{
    /// <summary>
    /// Arrays shorter than this (16 KiB) are plain allocations, never counted: the collector's young generation makes
    /// and frees them for less than the bookkeeping would cost, which matters to small models' steps of a few µs.
    /// </summary>
    private const int MinPooledLength = 4096;

    /// <summary>At most this many floats wait in one thread's pool (1 GiB); arrays beyond it are left to the collector.</summary>
    private const long MaxPooledFloats = 1L << 28;

    [ThreadStatic]
    private static GradientPool? _thread;

    private readonly Dictionary<int, Stack<float[]>> _free = [];
    // The arrays rented during the current pass that have not gone back or escaped, and how many pending gradients hold each.
    private readonly Dictionary<float[], int> _holders = new(ReferenceEqualityComparer.Instance);
    private long _pooledFloats;
    private bool _open;

    /// <summary>The calling thread's pool while a backward pass runs on it, else null.</summary>
    internal static GradientPool? Active => _thread is { _open: true } pool ? pool : null;

    /// <summary>Opens the calling thread's pool for one backward pass.</summary>
    internal static GradientPool Open()
    {
        _thread ??= new GradientPool();
        _thread._open = true;
        return _thread;
    }

    /// <summary>Ends the pass; when it <paramref name="completed"/>, the arrays still rented (ops' scratch) go back.</summary>
    internal void Close(bool completed)
    {
        if (completed)
        {
            foreach (float[] array in _holders.Keys)
            {
                Return(array);
            }
        }
        _holders.Clear();
        _open = false;
    }

    /// <summary>
    /// A new array of <paramref name="length"/> floats whose contents are not cleared when it is large enough for that
    /// to pay (small ones come zeroed from the young generation's fast path, which is quicker than the uncleared one).
    /// </summary>
    internal static float[] AllocateUncleared(int length) =>
        length < MinPooledLength ? new float[length] : GC.AllocateUninitializedArray<float>(length);

    /// <summary>
    /// An array of exactly <paramref name="length"/> floats of any content, for state an op keeps for its backward rule
    /// and never shows as a tensor; outside the count of any pass, it goes back by <see cref="ReturnSaved"/> only.
    /// </summary>
    internal static float[] RentSaved(int length)
    {
        if (length < MinPooledLength)
        {
            return new float[length];
        }
        _thread ??= new GradientPool();
        return _thread.TakeFree(length) ?? AllocateUncleared(length);
    }

    /// <summary>Gives back an array from <see cref="RentSaved"/> that its op will not read again.</summary>
    internal static void ReturnSaved(float[] array)
    {
        if (array.Length < MinPooledLength)
        {
            return;
        }
        _thread ??= new GradientPool();
        _thread.Return(array);
    }

    /// <summary>An array of exactly <paramref name="length"/> floats, zeroed if <paramref name="clear"/>, held by nothing yet.</summary>
    internal float[] Rent(int length, bool clear)
    {
        if (length < MinPooledLength)
        {
            return new float[length];
        }
        float[]? array = TakeFree(length);
        if (array is null)
        {
            array = clear ? new float[length] : AllocateUncleared(length);
        }
        else if (clear)
        {
            Array.Clear(array);
        }
        _holders[array] = 0;
        return array;
    }

    /// <summary>Counts one more pending gradient holding <paramref name="gradient"/>'s array.</summary>
    internal void Hold(Tensor gradient)
    {
        if (_holders.Count > 0 && _holders.TryGetValue(gradient.Storage, out int count))
        {
            _holders[gradient.Storage] = count + 1;
        }
    }

    /// <summary>Counts one pending gradient fewer holding <paramref name="gradient"/>'s array, which goes back when none does.</summary>
    internal void Drop(Tensor gradient)
    {
        if (_holders.Count > 0 && _holders.TryGetValue(gradient.Storage, out int count))
        {
            _holders[gradient.Storage] = count - 1;
            ReleaseIfUnheld(gradient);
        }
    }

    /// <summary>Gives <paramref name="gradient"/>'s array back if it was rented in this pass and nothing holds it.</summary>
    internal void ReleaseIfUnheld(Tensor gradient)
    {
        if (_holders.Count > 0 && _holders.TryGetValue(gradient.Storage, out int count) && count == 0)
        {
            _holders.Remove(gradient.Storage);
            Return(gradient.Storage);
        }
    }

    /// <summary>Whether <paramref name="gradient"/>'s array was rented in this pass and one pending gradient alone holds it: it may be written in place.</summary>
    internal bool IsExclusive(Tensor gradient) =>
        _holders.Count > 0 && _holders.TryGetValue(gradient.Storage, out int count) && count == 1;

    /// <summary>Lets <paramref name="gradient"/>'s array leave the pool for good (it becomes a leaf's Grad).</summary>
    internal void Escape(Tensor gradient) => _holders.Remove(gradient.Storage);

    private float[]? TakeFree(int length)
    {
        if (_free.TryGetValue(length, out Stack<float[]>? stack) && stack.TryPop(out float[]? array))
        {
            _pooledFloats -= length;
            return array;
        }
        return null;
    }

    private void Return(float[] array)
    {
        if (_pooledFloats + array.Length > MaxPooledFloats)
        {
            return;
        }
        if (!_free.TryGetValue(array.Length, out Stack<float[]>? stack))
        {
            stack = new Stack<float[]>();
            _free[array.Length] = stack;
        }
        stack.Push(array);
        _pooledFloats += array.Length;
    }
}
