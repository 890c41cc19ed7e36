namespace GradClip.Autograd;

/// <summary>Whether operations on the current thread record the autograd graph.</summary>
public static class GradMode
{
    [ThreadStatic]
    private static int t_disabledDepth;

    /// <summary>True unless a <see cref="NoGradScope"/> is open on this thread.</summary>
    public static bool IsEnabled => t_disabledDepth == 0;

    internal static void Disable() => t_disabledDepth++;

    internal static void Restore() => t_disabledDepth--;
}
