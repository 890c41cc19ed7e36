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
        int offset = 0;
        foreach (Tensor parameter in list)
        {
            var view = Tensor.FromStorage(storage, offset, [.. parameter.Shape]);
            parameter.Grad?.Span.CopyTo(view.Span);
            parameter.BindGradView(view);
            offset += parameter.Count;
        }
        Buffer = storage;
        Parameters = Array.AsReadOnly(list);
    }

    /// <summary>The parameters whose gradients the buffer holds, in buffer order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Every gradient, concatenated in parameter order: PyTorch's <c>parameters_to_vector</c> of the gradients, live.</summary>
    public Memory<float> Buffer { get; }
}
