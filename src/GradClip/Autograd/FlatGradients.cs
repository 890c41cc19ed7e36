using GradClip.Tensors;

namespace GradClip.Autograd;

/// <summary>
/// One contiguous buffer holding the gradients of a list of parameters, each parameter's <see cref="Tensor.Grad"/> a view
/// of its own range in order (as PyTorch's DDP with <c>gradient_as_bucket_view</c>, or Apex's flat gradient buffers):
/// clipping then reads and scales one long buffer in one pass instead of visiting many small tensors.
/// </summary>
/// <remarks>
/// <see cref="Tensor.Backward()"/> accumulates into the views in place, and <see cref="Tensor.ZeroGrad"/> (and the
/// module's and optimizer's ZeroGrad) zeroes them instead of dropping them, as PyTorch's <c>zero_grad(set_to_none=False)</c>:
/// a parameter that gets no gradient in a backward pass holds zeros, not null. Assigning a parameter's Grad takes it out
/// of the buffer; clipping still works, over separate tensors.
/// </remarks>
/// <example><code>
/// var gradients = new FlatGradients(model.Parameters());
/// // in the loop: loss.Backward(); Clip.GradNorm(model.Parameters(), 1.0); optimizer.Step(); optimizer.ZeroGrad();
/// </code></example>
public sealed class FlatGradients
{
    private readonly Tensor[] _parameters;
    // Per parameter, whether its gradient is stale (computed before an optimizer step changed it), and how many are; how
    // many parameters have had their gradient replaced since. Kept here so that clipping can check a whole parameter list
    // by comparing references, without reading every parameter.
    private readonly bool[] _stale;
    private int _staleCount;
    private int _unboundCount;

    /// <summary>
    /// Allocates the buffer and makes each parameter's gradient a view of it, in the order given; a gradient a parameter
    /// already has is copied into its view.
    /// </summary>
    /// <exception cref="ArgumentException">The list holds a null or a tensor twice, or more elements than an array can.</exception>
    public FlatGradients(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Tensor[] list = [.. parameters];
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        long total = 0;
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            }
            if (!seen.Add(list[i]))
            {
                throw new ArgumentException($"Parameter {i} ({list[i]}) appears more than once.", nameof(parameters));
            }
            total += list[i].Count;
        }
        if (total > Array.MaxLength)
        {
            throw new ArgumentException($"The parameters hold {total} elements in all, more than one array can.", nameof(parameters));
        }
        var storage = new float[total];
        _stale = new bool[list.Length];
        int offset = 0;
        for (int i = 0; i < list.Length; i++)
        {
            var view = Tensor.FromStorage(storage, offset, [.. list[i].Shape]);
            list[i].Grad?.Span.CopyTo(view.Span);
            list[i].BindGradView(view, this, i);
            offset += view.Count;
        }
        _parameters = list;
        Buffer = storage;
        Parameters = Array.AsReadOnly(list);
    }

    /// <summary>The parameters whose gradients the buffer holds, in buffer order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Every gradient, concatenated in parameter order: PyTorch's <c>parameters_to_vector</c> of the gradients, live.</summary>
    public Memory<float> Buffer { get; }

    /// <summary>
    /// The parameters as a span when <paramref name="parameters"/> is some buffer's own <see cref="Parameters"/> list (the
    /// natural thing to pass to clipping), so that it takes the one-pass path as an array or list would; else empty.
    /// </summary>
    internal static ReadOnlySpan<Tensor> SpanOfOwnList(IEnumerable<Tensor> parameters) =>
        parameters is IReadOnlyList<Tensor> { Count: > 0 } list && list[0]?.FlatGradients is { } flat && ReferenceEquals(list, flat.Parameters)
            ? flat._parameters
            : [];

    /// <summary>
    /// Whether <paramref name="parameters"/> are exactly this buffer's parameters, in order, each still holding its view
    /// and none of their gradients stale: then the buffer is their gradients, one range. Compares references only.
    /// </summary>
    internal bool IsWholeAndCurrent(ReadOnlySpan<Tensor> parameters)
    {
        if (_unboundCount != 0 || _staleCount != 0 || parameters.Length != _parameters.Length)
        {
            return false;
        }
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!ReferenceEquals(parameters[i], _parameters[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Follows whether parameter <paramref name="index"/>'s gradient is stale.</summary>
    internal void NoteStaleness(int index, bool stale)
    {
        if (_stale[index] != stale)
        {
            _stale[index] = stale;
            _staleCount += stale ? 1 : -1;
        }
    }

    /// <summary>Notes that parameter <paramref name="index"/>'s gradient is no longer its view in the buffer.</summary>
    internal void Unbind(int index)
    {
        NoteStaleness(index, false);
        _unboundCount++;
    }
}
