using System.Numerics.Tensors;
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
    /// <remarks>
    /// Reduced to a mean or a sum it is one fused op that keeps no element-wise tensor: the squares are summed in blocks
    /// of float, the blocks in double, in a fixed order; the gradient is 2·(input − target)·g/n (n = 1 for a sum).
    /// </remarks>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        RequireSameShape(input, target);
        if (reduction == Reduction.None)
        {
            Tensor difference = input.Sub(target);
            return difference.Mul(difference);
        }
        double scale = reduction switch
        {
            Reduction.Mean => 1.0 / input.Count,
            Reduction.Sum => 1.0,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {reduction}."),
        };
        Tensor loss = Empty([]);
        loss.Span[0] = (float)(SumOfSquaredDifferences(input.Span, target.Span) * scale);
        return Record(loss, Op.MseLoss, [input, target], g =>
        {
            Tensor difference = Uninitialized(input._shape);
            TensorPrimitives.Subtract(input.Span, target.Span, difference.Span);
            TensorPrimitives.Multiply(difference.Span, (float)(2 * scale * g.Span[0]), difference.Span);
            Tensor? gradTarget = null;
            if (target._requiresGrad)
            {
                gradTarget = Empty(target._shape);
                TensorPrimitives.Negate(difference.Span, gradTarget.Span);
            }
            return [input._requiresGrad ? difference : null, gradTarget];
        });
    }

    /// <summary>Σ (x − y)², over blocks of 1,024 summed in float, the blocks' sums added in double.</summary>
    private static double SumOfSquaredDifferences(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        const int Block = 1024;
        Span<float> difference = stackalloc float[Block];
        double sum = 0;
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            TensorPrimitives.Subtract(x.Slice(start, n), y.Slice(start, n), difference[..n]);
            sum += TensorPrimitives.SumOfSquares(difference[..n]);
        }
        return sum;
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
