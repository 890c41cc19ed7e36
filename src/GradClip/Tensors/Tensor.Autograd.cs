using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    private const int NoVersion = -1;

    private bool _requiresGrad;
    private Node? _node;

    /// <summary>Whether operations on this tensor are recorded so that <see cref="Backward()"/> can reach it; set it on leaves only.</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (_node is not null && !value)
            {
                throw new InvalidOperationException(
                    $"Tensor{ShapeText}{NameSuffix()} was computed by {_node.Op}; only leaves can stop requiring grad. Use Detach().");
            }
            _requiresGrad = value;
        }
    }

    /// <summary>The recorded operation that produced this tensor, or null for a leaf (PyTorch's <c>grad_fn</c>).</summary>
    public Node? GradFn => _node;

    /// <summary>Whether this tensor was made directly rather than computed by a recorded operation.</summary>
    public bool IsLeaf => _node is null;

    /// <summary>Opens a scope in which operations on this thread record nothing: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>Backpropagates from this one-element tensor, accumulating (+=) into the Grad of every leaf that requires grad.</summary>
    /// <remarks>
    /// Only leaves keep gradients; intermediate ones are dropped as soon as they have flowed on. The graph is kept, so a
    /// second call adds the same gradients again (PyTorch would ask for <c>retain_graph</c>).
    /// </remarks>
    public void Backward()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException(
                $"Backward() without a gradient needs a one-element tensor, but this one has shape {ShapeText}; pass a gradient of that shape.");
        }
        Backward(Full(1f, _shape));
    }

    /// <summary>Backpropagates <paramref name="gradient"/> (this tensor's shape) from this tensor, accumulating into leaf gradients.</summary>
    public void Backward(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!_requiresGrad)
        {
            throw new InvalidOperationException($"Tensor{ShapeText}{NameSuffix()} does not require grad, so there is nothing to backpropagate.");
        }
        if (!gradient.HasShape(_shape))
        {
            throw new ArgumentException(
                $"Gradient shape {gradient.ShapeText} does not match tensor shape {ShapeText}.", nameof(gradient));
        }
        Backprop.Run(this, gradient);
    }

    /// <summary>
    /// Drops this tensor's gradient (sets Grad to null, as PyTorch's default <c>set_to_none</c>); a gradient that is a view
    /// into <see cref="Autograd.FlatGradients"/> is zeroed in place instead, so that it stays in the flat buffer.
    /// </summary>
    public void ZeroGrad()
    {
        if (_flatGradients is not null)
        {
            _grad!.Span.Clear();
            SetGradVersion(NoVersion);
        }
        else
        {
            Grad = null;
        }
    }

    /// <summary>A tensor sharing this one's elements, outside the graph: no gradient flows through it.</summary>
    public Tensor Detach() => ViewOf(this, _shape);

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException($"Item() needs a one-element tensor, but this one has shape {ShapeText}.");
        }
        return Span[0];
    }

    /// <summary>Attaches a graph node to <paramref name="result"/> when recording is on and any parent requires grad.</summary>
    private static Tensor Record(Tensor result, Op op, Tensor[] parents, Func<Tensor, Tensor?[]> backward)
    {
        if (!GradMode.IsEnabled || !Array.Exists(parents, p => p._requiresGrad))
        {
            return result;
        }
        OpProfiler.Current?.Add(op.ToString(), "forward");
        result._node = new Node(op, parents, backward);
        result._requiresGrad = true;
        return result;
    }

    /// <summary>Attaches a Narrow node to <paramref name="result"/>, whose gradient goes into <paramref name="slice"/> of <paramref name="source"/>.</summary>
    private static Tensor RecordSlice(Tensor result, Tensor source, SliceRange slice)
    {
        if (GradMode.IsEnabled && source._requiresGrad)
        {
            OpProfiler.Current?.Add(nameof(Op.Narrow), "forward");
            result._node = new Node(source, slice);
            result._requiresGrad = true;
        }
        return result;
    }

    /// <summary>
    /// Whether <see cref="Grad"/> was written by <see cref="Backward()"/> before an optimizer step changed this tensor, with
    /// no backward pass or ZeroGrad since: clipping it now would come after the step it was meant for. A gradient set by
    /// hand is never stale.
    /// </summary>
    internal bool HasStaleGrad => _gradVersion != NoVersion && _gradVersion != _version;

    /// <summary>Counts an in-place change of this tensor's elements by an optimizer step (PyTorch's <c>_version</c>).</summary>
    internal void BumpVersion()
    {
        _version++;
        _flatGradients?.NoteStaleness(_flatIndex, HasStaleGrad);
    }

    /// <summary>Records that <see cref="Backward()"/> has just written <see cref="Grad"/> for this tensor as it is now.</summary>
    internal void RecordGradVersion() => SetGradVersion(_version);

    private void SetGradVersion(int version)
    {
        _gradVersion = version;
        _flatGradients?.NoteStaleness(_flatIndex, HasStaleGrad);
    }

    /// <summary>Whether this tensor has the same shape as <paramref name="other"/>.</summary>
    internal bool HasShapeOf(Tensor other) => HasShape(other._shape);

    /// <summary>Wraps a freshly computed buffer (internal, no copy, no checks).</summary>
    private static Tensor Wrap(float[] data, int[] shape) => new(data, 0, data.Length, shape);

    /// <summary>A tensor over the same elements as <paramref name="source"/> with another shape of the same count (no copy, no checks).</summary>
    private static Tensor ViewOf(Tensor source, int[] shape) => new(source._storage, source._offset, source._count, shape);

    /// <summary>
    /// A new zeroed tensor of the given shape for an op to fill with its result; during a backward pass its array comes
    /// from the pass's <see cref="GradientPool"/>.
    /// </summary>
    private static Tensor Empty(int[] shape)
    {
        int count = (int)CountOf(shape);
        return Wrap(GradientPool.Active?.Rent(count, clear: true) ?? new float[count], shape);
    }

    /// <summary>
    /// A new tensor of the given shape whose elements are not cleared, for an op whose kernel writes every one of them:
    /// large results then cost no pass of zeros. During a backward pass its array comes from the pass's pool.
    /// </summary>
    private static Tensor Uninitialized(int[] shape)
    {
        int count = (int)CountOf(shape);
        return Wrap(GradientPool.Active?.Rent(count, clear: false) ?? GradientPool.AllocateUncleared(count), shape);
    }

    /// <summary>A new zeroed tensor of <paramref name="tensor"/>'s shape, as <see cref="Empty"/> makes it.</summary>
    internal static Tensor EmptyLike(Tensor tensor) => Empty(tensor._shape);
}
