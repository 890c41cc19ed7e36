namespace GradClip.Autograd;

/// <summary>While open, operations on this thread record nothing, as PyTorch's <c>torch.no_grad()</c>; dispose to close.</summary>
public sealed class NoGradScope : IDisposable
{
    private bool _disposed;

    /// <summary>Opens the scope on the current thread.</summary>
    public NoGradScope() => GradMode.Disable();

    /// <summary>Closes the scope; closing it twice does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        GradMode.Restore();
    }
}
