using System.Buffers;
using System.Numerics.Tensors;
using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// One LSTM layer over a whole sequence as one fused op. <paramref name="projected"/> (batch, time, 4·hidden) holds
    /// x_t·W_ihᵀ + b_ih for every step in PyTorch's gate order (input, forget, cell, output); <paramref name="hidden"/> and
    /// <paramref name="cell"/> (batch, hidden) are the initial state; <paramref name="weightHh"/> (4·hidden, hidden) and
    /// <paramref name="biasHh"/> (4·hidden) the recurrent map. Returns (batch, time + 1, hidden): the hidden states
    /// h_1 … h_T, then the last cell state c_T.
    /// </summary>
    /// <remarks>
    /// Each step adds the gates as the unrolled ops would, (h·W_hhᵀ + b_hh) + projected_t, and runs the fused cell kernel,
    /// so the forward equals the per-step ops bit for bit. The forward keeps every step's activations, tanh(c) and states
    /// (time-major, each step's rows contiguous for the products); the backward runs the sweep itself: per step the
    /// cell's rule and one product dGates·W_hh for the previous hidden state, then one product over all steps for
    /// W_hh's gradient and one column sum for b_hh's. Its sums run in another order than the unrolled ops' (within
    /// float rounding of them); like every product here, the same inputs give the same bits for any thread count.
    /// </remarks>
    internal static Tensor Lstm(Tensor projected, Tensor hidden, Tensor cell, Tensor weightHh, Tensor biasHh)
    {
        LstmSizes sizes = LstmSizes.Check(projected, hidden, cell, weightHh, biasHh);
        var kept = new LstmTrace(sizes);
        hidden.Span.CopyTo(kept.Hiddens);
        cell.Span.CopyTo(kept.Cells);
        float[] gates = ArrayPool<float>.Shared.Rent(sizes.StepGates);
        for (int t = 0; t < sizes.Time; t++)
        {
            Span<float> pre = gates.AsSpan(0, sizes.StepGates);
            Gemm.Multiply(kept.StepHiddens(t), weightHh.Span, pre, sizes.Batch, sizes.Hidden, sizes.Gates, transposeB: true);
            for (int b = 0; b < sizes.Batch; b++)
            {
                Span<float> row = pre.Slice(b * sizes.Gates, sizes.Gates);
                TensorPrimitives.Add(row, biasHh.Span, row);
                TensorPrimitives.Add(row, projected.Span.Slice((b * sizes.Time + t) * sizes.Gates, sizes.Gates), row);
            }
            Kernels.LstmCell.Forward(
                pre, kept.StepCells(t), kept.StepActivations(t), kept.StepCellTanh(t), kept.StepHiddens(t + 1), kept.StepCells(t + 1), sizes.Hidden);
        }
        ArrayPool<float>.Shared.Return(gates);
        return Record(kept.Output(), Op.Lstm, [projected, hidden, cell, weightHh, biasHh], g =>
        {
            float[] dGates = ArrayPool<float>.Shared.Rent(sizes.Time * sizes.StepGates);
            (Tensor dHidden, Tensor dCell) = LstmSweep(kept, g.Span, weightHh.Span, dGates);
            Tensor? dWeight = null;
            if (weightHh._requiresGrad)
            {
                dWeight = Empty(weightHh._shape);
                Gemm.Multiply(
                    dGates.AsMemory(0, sizes.Time * sizes.StepGates), kept.Hiddens.AsMemory(0, sizes.Time * sizes.StepStates), dWeight.Memory,
                    sizes.Gates, sizes.Time * sizes.Batch, sizes.Hidden, transposeA: true);
            }
            Tensor? dBias = biasHh._requiresGrad ? ColumnSums(Wrap(dGates, [dGates.Length]), sizes.Time * sizes.Batch, sizes.Gates) : null;
            Tensor? dProjected = projected._requiresGrad ? BatchFirst(dGates, sizes) : null;
            ArrayPool<float>.Shared.Return(dGates);
            return [dProjected, hidden._requiresGrad ? dHidden : null, cell._requiresGrad ? dCell : null, dWeight, dBias];
        });
    }

    /// <summary>
    /// The backward sweep from the last step to the first: the gates' gradients of every step into
    /// <paramref name="dGates"/> (time-major), and the initial state's gradients.
    /// </summary>
    private static (Tensor DHidden, Tensor DCell) LstmSweep(LstmTrace kept, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weightHh, float[] dGates)
    {
        LstmSizes sizes = kept.Sizes;
        Tensor dHidden = Empty([sizes.Batch, sizes.Hidden]);
        Tensor dCell = Empty([sizes.Batch, sizes.Hidden]);
        CopyStep(outputGradient, dHidden.Span, sizes, sizes.Time - 1);
        CopyStep(outputGradient, dCell.Span, sizes, sizes.Time);
        for (int t = sizes.Time - 1; t >= 0; t--)
        {
            Span<float> stepGates = dGates.AsSpan(t * sizes.StepGates, sizes.StepGates);
            Kernels.LstmCell.Backward(
                kept.StepActivations(t), kept.StepCellTanh(t), kept.StepCells(t), dHidden.Span, dCell.Span, stepGates, sizes.Hidden);
            Gemm.Multiply(stepGates, weightHh, dHidden.Span, sizes.Batch, sizes.Gates, sizes.Hidden);
            if (t > 0)
            {
                AddStep(outputGradient, dHidden.Span, sizes, t - 1);
            }
        }
        return (dHidden, dCell);
    }

    /// <summary>Copies step <paramref name="t"/> of a (batch, time + 1, hidden) gradient into (batch, hidden) rows.</summary>
    private static void CopyStep(ReadOnlySpan<float> outputGradient, Span<float> rows, LstmSizes sizes, int t)
    {
        for (int b = 0; b < sizes.Batch; b++)
        {
            outputGradient.Slice((b * (sizes.Time + 1) + t) * sizes.Hidden, sizes.Hidden).CopyTo(rows.Slice(b * sizes.Hidden, sizes.Hidden));
        }
    }

    /// <summary>Adds step <paramref name="t"/> of a (batch, time + 1, hidden) gradient to (batch, hidden) rows.</summary>
    private static void AddStep(ReadOnlySpan<float> outputGradient, Span<float> rows, LstmSizes sizes, int t)
    {
        for (int b = 0; b < sizes.Batch; b++)
        {
            Span<float> row = rows.Slice(b * sizes.Hidden, sizes.Hidden);
            TensorPrimitives.Add(row, outputGradient.Slice((b * (sizes.Time + 1) + t) * sizes.Hidden, sizes.Hidden), row);
        }
    }

    /// <summary>Time-major (time, batch, 4·hidden) gates' gradients as the batch-first (batch, time, 4·hidden) gradient of the projected input.</summary>
    private static Tensor BatchFirst(float[] dGates, LstmSizes sizes)
    {
        Tensor result = Empty([sizes.Batch, sizes.Time, sizes.Gates]);
        for (int t = 0; t < sizes.Time; t++)
        {
            for (int b = 0; b < sizes.Batch; b++)
            {
                dGates.AsSpan((t * sizes.Batch + b) * sizes.Gates, sizes.Gates).CopyTo(result.Span.Slice((b * sizes.Time + t) * sizes.Gates));
            }
        }
        return result;
    }

    /// <summary>The sizes of an LSTM layer's run, checked against every operand.</summary>
    private readonly record struct LstmSizes(int Batch, int Time, int Hidden)
    {
        public int Gates => 4 * Hidden;

        public int StepGates => Batch * Gates;

        public int StepStates => Batch * Hidden;

        public static LstmSizes Check(Tensor projected, Tensor hidden, Tensor cell, Tensor weightHh, Tensor biasHh)
        {
            int size = hidden.Rank == 2 ? hidden._shape[1] : -1;
            var sizes = new LstmSizes(projected.Rank == 3 ? projected._shape[0] : -1, projected.Rank == 3 ? projected._shape[1] : -1, size);
            if (size <= 0 || sizes.Time <= 0 || !projected.HasShape([sizes.Batch, sizes.Time, 4 * size]) || !hidden.HasShape([sizes.Batch, size])
                || !cell.HasShape([sizes.Batch, size]) || !weightHh.HasShape([4 * size, size]) || !biasHh.HasShape([4 * size]))
            {
                throw new ArgumentException(
                    $"An LSTM layer needs a projected input (batch, time ≥ 1, 4·hidden), states (batch, hidden), a recurrent weight (4·hidden, hidden) and bias (4·hidden), " +
                    $"but got {projected.ShapeText}, {hidden.ShapeText}, {cell.ShapeText}, {weightHh.ShapeText} and {biasHh.ShapeText}.", nameof(projected));
            }
            return sizes;
        }
    }

    /// <summary>What an LSTM layer's forward keeps for its backward, time-major: states h_0 … h_T and c_0 … c_T, and per step the gates' activations and tanh(c_t).</summary>
    private sealed class LstmTrace(LstmSizes sizes)
    {
        public LstmSizes Sizes { get; } = sizes;

        public float[] Hiddens { get; } = new float[(sizes.Time + 1) * sizes.StepStates];

        public float[] Cells { get; } = new float[(sizes.Time + 1) * sizes.StepStates];

        private readonly float[] _activations = new float[sizes.Time * sizes.StepGates];

        private readonly float[] _cellTanh = new float[sizes.Time * sizes.StepStates];

        public Span<float> StepHiddens(int t) => Hiddens.AsSpan(t * Sizes.StepStates, Sizes.StepStates);

        public Span<float> StepCells(int t) => Cells.AsSpan(t * Sizes.StepStates, Sizes.StepStates);

        public Span<float> StepActivations(int t) => _activations.AsSpan(t * Sizes.StepGates, Sizes.StepGates);

        public Span<float> StepCellTanh(int t) => _cellTanh.AsSpan(t * Sizes.StepStates, Sizes.StepStates);

        /// <summary>The op's output (batch, time + 1, hidden): h_1 … h_T, then c_T, per batch row.</summary>
        public Tensor Output()
        {
            int width = Sizes.Hidden;
            Tensor output = Empty([Sizes.Batch, Sizes.Time + 1, width]);
            for (int b = 0; b < Sizes.Batch; b++)
            {
                for (int t = 0; t < Sizes.Time; t++)
                {
                    StepHiddens(t + 1).Slice(b * width, width).CopyTo(output.Span.Slice((b * (Sizes.Time + 1) + t) * width));
                }
                StepCells(Sizes.Time).Slice(b * width, width).CopyTo(output.Span.Slice((b * (Sizes.Time + 1) + Sizes.Time) * width));
            }
            return output;
        }
    }
}
