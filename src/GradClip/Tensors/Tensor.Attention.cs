using System.Buffers;
using System.Numerics.Tensors;
using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Multi-head self-attention as one fused op: from the packed projection <paramref name="qkv"/> (batch, time,
    /// 3·width), holding Q, K and V side by side, each head h reads its headDim = width/heads columns of each, computes
    /// softmax(Q·Kᵀ/√headDim)·V (row i attending to columns 0..i only when <paramref name="causal"/>), and writes its
    /// columns of the (batch, time, width) result. Heads are independent: they are shared between two threads and give
    /// the same bits however they were split. The attention weights are kept for the backward pass; no mask, transposed
    /// copy or per-head tensor is recorded.
    /// </summary>
    internal static Tensor SelfAttention(Tensor qkv, int heads, bool causal)
    {
        if (qkv.Rank != 3 || qkv._shape[2] % (3 * heads) != 0)
        {
            throw new ArgumentException($"Self-attention with {heads} heads needs a packed projection (batch, time, 3·heads·headDim), but got {qkv.ShapeText}.", nameof(qkv));
        }
        var layout = new AttentionLayout(qkv._shape[0], qkv._shape[1], qkv._shape[2] / 3, heads, causal);
        Tensor output = Uninitialized([layout.Batch, layout.Time, layout.Width]);
        float[]? weights = layout.Weights(qkv, output);
        Record(output, Op.SelfAttention, [qkv], g =>
        {
            // The weights go back to the pool after the first backward pass, which is usually the only one; another
            // pass over the kept graph computes them again.
            float[] saved = weights ?? layout.Weights(qkv, EmptyLike(g));
            weights = null;
            Tensor gradient = Uninitialized(qkv._shape);
            PairRange.For(layout.Pairs, layout.IsLarge, (start, end) => layout.Backward(qkv, saved, g, gradient, start, end));
            GradientPool.ReturnSaved(saved);
            return [gradient];
        });
        if (output.GradFn is null)
        {
            GradientPool.ReturnSaved(weights);
        }
        return output;
    }

    /// <summary>The sizes of one fused attention and its per-(batch, head) forward and backward passes.</summary>
    private sealed record AttentionLayout(int Batch, int Time, int Width, int Heads, bool Causal)
    {
        public int HeadDim => Width / Heads;

        public int Pairs => Batch * Heads;

        /// <summary>Whether the work (multiply-adds) is worth waking the second thread for.</summary>
        public bool IsLarge => (long)Pairs * Time * Time * HeadDim >= 1L << 21;

        private float Scale => 1f / MathF.Sqrt(HeadDim);

        /// <summary>Writes the attention into <paramref name="output"/> and returns the weights P of every pair, in an array from the pool.</summary>
        public float[] Weights(Tensor qkv, Tensor output)
        {
            float[] weights = GradientPool.RentSaved(Pairs * Time * Time);
            PairRange.For(Pairs, IsLarge, (start, end) => Forward(qkv, weights, output, start, end));
            return weights;
        }

        /// <summary>Pairs [start, end): P = softmax(Q·Kᵀ·scale) into <paramref name="weights"/>, P·V into the output's head columns.</summary>
        public void Forward(Tensor qkv, float[] weights, Tensor output, int start, int end)
        {
            int block = Time * HeadDim;
            float[] scratch = ArrayPool<float>.Shared.Rent(4 * block);
            Span<float> q = scratch.AsSpan(0, block), k = scratch.AsSpan(block, block), v = scratch.AsSpan(2 * block, block);
            Span<float> o = scratch.AsSpan(3 * block, block);
            for (int pair = start; pair < end; pair++)
            {
                Gather(qkv.Span, 3 * Width, pair, 0, q);
                Gather(qkv.Span, 3 * Width, pair, Width, k);
                Gather(qkv.Span, 3 * Width, pair, 2 * Width, v);
                Span<float> p = weights.AsSpan(pair * Time * Time, Time * Time);
                Gemm.Multiply(q, k, p, Time, HeadDim, Time, transposeB: true);
                TensorPrimitives.Multiply(p, Scale, p);
                SoftmaxRows.Forward(p, p, Time, Causal);
                Gemm.Multiply(p, v, o, Time, Time, HeadDim);
                Scatter(o, output.Span, Width, pair, 0);
            }
            ArrayPool<float>.Shared.Return(scratch);
        }

        /// <summary>Pairs [start, end): dV = Pᵀ·dO, dS = softmax′(P, dO·Vᵀ)·scale, dQ = dS·K, dK = dSᵀ·Q, into the gradient's head columns.</summary>
        public void Backward(Tensor qkv, float[] weights, Tensor outputGradient, Tensor gradient, int start, int end)
        {
            int block = Time * HeadDim;
            float[] scratch = ArrayPool<float>.Shared.Rent(7 * block + Time * Time);
            Span<float> q = scratch.AsSpan(0, block), k = scratch.AsSpan(block, block), v = scratch.AsSpan(2 * block, block);
            Span<float> dO = scratch.AsSpan(3 * block, block), dQ = scratch.AsSpan(4 * block, block);
            Span<float> dK = scratch.AsSpan(5 * block, block), dV = scratch.AsSpan(6 * block, block);
            Span<float> dS = scratch.AsSpan(7 * block, Time * Time);
            for (int pair = start; pair < end; pair++)
            {
                Gather(qkv.Span, 3 * Width, pair, 0, q);
                Gather(qkv.Span, 3 * Width, pair, Width, k);
                Gather(qkv.Span, 3 * Width, pair, 2 * Width, v);
                Gather(outputGradient.Span, Width, pair, 0, dO);
                ReadOnlySpan<float> p = weights.AsSpan(pair * Time * Time, Time * Time);
                Gemm.Multiply(p, dO, dV, Time, Time, HeadDim, transposeA: true);
                Gemm.Multiply(dO, v, dS, Time, HeadDim, Time, transposeB: true);
                SoftmaxRows.Backward(p, dS, dS, Time);
                TensorPrimitives.Multiply(dS, Scale, dS);
                Gemm.Multiply(dS, k, dQ, Time, Time, HeadDim);
                Gemm.Multiply(dS, q, dK, Time, Time, HeadDim, transposeA: true);
                Scatter(dQ, gradient.Span, 3 * Width, pair, 0);
                Scatter(dK, gradient.Span, 3 * Width, pair, Width);
                Scatter(dV, gradient.Span, 3 * Width, pair, 2 * Width);
            }
            ArrayPool<float>.Shared.Return(scratch);
        }

        /// <summary>Copies pair <paramref name="pair"/>'s head columns, from <paramref name="offset"/> within rows of <paramref name="rowWidth"/>, into a (time, headDim) block.</summary>
        private void Gather(ReadOnlySpan<float> source, int rowWidth, int pair, int offset, Span<float> destination)
        {
            (int batch, int head) = Math.DivRem(pair, Heads);
            for (int t = 0; t < Time; t++)
            {
                source.Slice((batch * Time + t) * rowWidth + offset + head * HeadDim, HeadDim).CopyTo(destination.Slice(t * HeadDim, HeadDim));
            }
        }

        /// <summary>Copies a (time, headDim) block into pair <paramref name="pair"/>'s head columns, the inverse of <see cref="Gather"/>.</summary>
        private void Scatter(ReadOnlySpan<float> source, Span<float> destination, int rowWidth, int pair, int offset)
        {
            (int batch, int head) = Math.DivRem(pair, Heads);
            for (int t = 0; t < Time; t++)
            {
                source.Slice(t * HeadDim, HeadDim).CopyTo(destination.Slice((batch * Time + t) * rowWidth + offset + head * HeadDim, HeadDim));
            }
        }
    }
}
