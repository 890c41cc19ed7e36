using GradClip.Autograd;
using GradClip.Nn;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Cross-entropy of logits (n, c) against integer class labels (n), through a stable log-softmax, as PyTorch's
    /// <c>cross_entropy</c>; <see cref="Reduction.None"/> gives the (n) per-sample losses.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits._shape[0] != labels.Length)
        {
            throw new ArgumentException($"CrossEntropy needs logits of shape [n, classes] and n labels, but got {logits.ShapeText} and [{labels.Length}].", nameof(logits));
        }
        int classes = logits._shape[1];
        var targets = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[i]} at row {i} is not a class of logits {logits.ShapeText}.");
            }
            targets[i] = i * classes + labels[i];
        }
        // Pick each row's target log-probability rather than multiplying by a one-hot: a −∞ logit on another class
        // would give −∞ · 0 = NaN there, where PyTorch's loss is finite.
        return Reduce(logits.LogSoftmax(1).Reshape(logits.Count).IndexSelect(targets).Neg(), reduction);
    }

    /// <summary>Mean squared error (input − target)², both of one shape, as PyTorch's <c>mse_loss</c>.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(input, target);
        Tensor difference = input.Sub(target);
        return Reduce(difference.Mul(difference), reduction);
    }

    /// <summary>
    /// Binary cross-entropy of logits against targets in [0, 1], both of one shape, in the stable form
    /// max(x, 0) − x·y + log(1 + e^−|x|); the gradient is σ(x) − y, exact at every x.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(logits, targets);
        Tensor losses = Empty(logits._shape);
        Span<float> loss = losses.Span;
        ReadOnlySpan<float> xs = logits.Span;
        ReadOnlySpan<float> ys = targets.Span;
        for (int i = 0; i < loss.Length; i++)
        {
            double x = xs[i];
            loss[i] = (float)(Math.Max(x, 0.0) - x * ys[i] + Math.Log(1.0 + Math.Exp(-Math.Abs(x))));
        }
        Record(losses, Op.BinaryCrossEntropyWithLogits, [logits, targets], g =>
        {
            Tensor gradLogits = Empty(logits._shape);
            Tensor gradTargets = Empty(targets._shape);
            ReadOnlySpan<float> gs = g.Span;
            ReadOnlySpan<float> xs = logits.Span;
            ReadOnlySpan<float> ys = targets.Span;
            Span<float> dx = gradLogits.Span;
            Span<float> dy = gradTargets.Span;
            for (int i = 0; i < gs.Length; i++)
            {
                float x = xs[i];
                dx[i] = gs[i] * (1f / (1f + MathF.Exp(-x)) - ys[i]);
                dy[i] = -gs[i] * x;
            }
            return [gradLogits, gradTargets];
        });
        return Reduce(losses, reduction);
    }

    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.None => losses,
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {reduction}."),
    };

    private static void RequireSameShape(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.HasShape(target._shape))
        {
            throw new ArgumentException($"Input shape {input.ShapeText} does not match target shape {target.ShapeText}.", nameof(target));
        }
    }
}
