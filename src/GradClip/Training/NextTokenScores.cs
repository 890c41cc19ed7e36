using GradClip.Nn;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>A language model's scores on windows of token ids: it reads all but each window's last id and predicts every next one.</summary>
internal static class NextTokenScores
{
    /// <summary>
    /// The model's logits for every position of every window, (windows·context, vocabulary), and the id that follows each
    /// position (columns 1 … context of every window, window after window).
    /// </summary>
    public static (Tensor Logits, int[] Next) Predict(Module<Tensor, Tensor> model, Tensor windows)
    {
        int context = windows.Shape[1] - 1;
        int[] next = Next(windows.Span, context);
        Tensor logits = model.Forward(windows.Narrow(1, 0, context));
        return (logits.Reshape(next.Length, -1), next);
    }

    private static int[] Next(ReadOnlySpan<float> windows, int context)
    {
        int rows = windows.Length / (context + 1);
        var next = new int[rows * context];
        for (int row = 0; row < rows; row++)
        {
            for (int t = 0; t < context; t++)
            {
                next[row * context + t] = (int)windows[row * (context + 1) + t + 1];
            }
        }
        return next;
    }
}
