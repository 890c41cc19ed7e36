using System.Numerics.Tensors;
using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product over the last two axes, batched over any leading ones (one batched product, its matrices shared
    /// between two threads): (m, k)·(k, n) → (m, n);
    /// (*, m, k)·(*, k, n) → (*, m, n) with the same leading axes; (*, m, k)·(k, n) → (*, m, n).
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank >= 3 && other.Rank == 2)
        {
            return Reshape(-1, _shape[^1]).MatMul(other).Reshape([.. _shape[..^1], other._shape[1]]);
        }
        if (Rank > 3 && other.Rank == Rank && _shape.AsSpan(0, Rank - 2).SequenceEqual(other._shape.AsSpan(0, Rank - 2)))
        {
            int[] lead = _shape[..^2];
            return Reshape(-1, _shape[^2], _shape[^1]).MatMul(other.Reshape(-1, other._shape[^2], other._shape[^1]))
                .Reshape([.. lead, _shape[^2], other._shape[^1]]);
        }
        bool batched = Rank == 3 && other.Rank == 3 && _shape[0] == other._shape[0];
        bool plain = Rank == 2 && other.Rank == 2;
        if (!(batched || plain) || _shape[Rank - 1] != other._shape[other.Rank - 2])
        {
            throw new ArgumentException($"MatMul cannot multiply shapes {ShapeText} and {other.ShapeText}.", nameof(other));
        }
        int batch = batched ? _shape[0] : 1;
        int m = _shape[Rank - 2];
        int k = _shape[Rank - 1];
        int n = other._shape[other.Rank - 1];
        Tensor result = Uninitialized(batched ? [batch, m, n] : [m, n]);
        Tensor a = this;
        Gemm.MultiplyBatched(a.Memory, other.Memory, result.Memory, batch, m, k, n);
        return Record(result, Op.MatMul, [this, other], g =>
        {
            Tensor? gradA = a._requiresGrad ? Uninitialized(a._shape) : null;
            Tensor? gradB = other._requiresGrad ? Uninitialized(other._shape) : null;
            if (gradA is not null)
            {
                Gemm.MultiplyBatched(g.Memory, other.Memory, gradA.Memory, batch, m, n, k, transposeB: true);
            }
            if (gradB is not null)
            {
                Gemm.MultiplyBatched(a.Memory, g.Memory, gradB.Memory, batch, k, m, n, transposeA: true);
            }
            return [gradA, gradB];
        });
    }

    /// <summary>
    /// The affine map of a linear layer, input·weightᵀ + bias: input (*, in), weight (out, in), bias (out) → (*, out).
    /// Weight is stored out×in as PyTorch and never transposed in memory; the bias is added to each row in place, and
    /// its gradient is the column sums of the output's, added row by row in order.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank == 0 || weight.Rank != 2 || input._shape[^1] != weight._shape[1])
        {
            throw new ArgumentException($"Linear cannot map input of shape {input.ShapeText} with weight of shape {weight.ShapeText}.", nameof(weight));
        }
        int inFeatures = weight._shape[1];
        int outFeatures = weight._shape[0];
        if (bias is not null && !bias.HasShape([outFeatures]))
        {
            throw new ArgumentException($"Linear with weight of shape {weight.ShapeText} needs a bias of shape [{outFeatures}], but got {bias.ShapeText}.", nameof(bias));
        }
        int rows = inFeatures == 0 ? 0 : input.Count / inFeatures;
        int[] outputShape = input.WithAxisSize(input.Rank - 1, outFeatures);
        Tensor flat = input.Reshape(rows, inFeatures);
        Tensor product = Uninitialized([rows, outFeatures]);
        Gemm.Multiply(flat.Memory, weight.Memory, product.Memory, rows, inFeatures, outFeatures, transposeB: true);
        if (bias is not null)
        {
            for (int row = 0; row < rows; row++)
            {
                Span<float> output = product.Span.Slice(row * outFeatures, outFeatures);
                TensorPrimitives.Add(output, bias.Span, output);
            }
        }
        Tensor[] parents = bias is null ? [flat, weight] : [flat, weight, bias];
        Record(product, Op.Linear, parents, g =>
        {
            Tensor? gradInput = null;
            Tensor? gradWeight = null;
            if (flat._requiresGrad)
            {
                gradInput = Uninitialized(flat._shape);
                Gemm.Multiply(g.Memory, weight.Memory, gradInput.Memory, rows, outFeatures, inFeatures);
            }
            if (weight._requiresGrad)
            {
                gradWeight = Uninitialized(weight._shape);
                Gemm.Multiply(g.Memory, flat.Memory, gradWeight.Memory, outFeatures, rows, inFeatures, transposeA: true);
            }
            return bias is null ? [gradInput, gradWeight] : [gradInput, gradWeight, bias._requiresGrad ? ColumnSums(g, rows, outFeatures) : null];
        });
        return product.Reshape(outputShape);
    }

    /// <summary>The sums of the columns of a (rows, columns) tensor, in the order <see cref="Sum(int, bool)"/> adds them.</summary>
    private static Tensor ColumnSums(Tensor matrix, int rows, int columns)
    {
        Tensor sums = Empty([columns]);
        if (columns == 1)
        {
            sums.Span[0] = TensorPrimitives.Sum(matrix.Span[..rows]);
            return sums;
        }
        for (int row = 0; row < rows; row++)
        {
            TensorPrimitives.Add(sums.Span, matrix.Span.Slice(row * columns, columns), sums.Span);
        }
        return sums;
    }
}
