using System.Buffers;
using System.Numerics.Tensors;
using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// One LSTM layer over a whole sequence as one fused op: <paramref name="input"/> (batch, time, in) and the initial
    /// state <paramref name="hidden"/> and <paramref name="cell"/> (batch, hidden) through the weights W_ih (4·hidden, in),
    /// W_hh (4·hidden, hidden) and biases b_ih, b_hh (4·hidden), in PyTorch's gate order (input, forget, cell, output).
    /// Returns (batch, time + 1, hidden): the hidden states h_1 … h_T, then the last cell state c_T.
    /// </summary>
    /// <remarks>
    /// The input is projected for every step at once (one product over all batch·time rows, then b_ih); each step adds
    /// the gates as the unrolled ops would, (h·W_hhᵀ + b_hh) + (x_t·W_ihᵀ + b_ih), and runs the fused cell kernel, so the
    /// forward equals the per-step ops bit for bit. It keeps the input and every step's activations, tanh(c) and states,
    /// time-major so that each step's rows are contiguous for the products. The backward runs the sweep itself: per step
    /// the cell's rule and one product dGates·W_hh for the previous hidden state; then one product over all steps for
    /// each weight's gradient and for the input's, and one column sum for both biases. Its sums run in another order
    /// than the unrolled ops' (within float rounding of them); like every product here, the same inputs give the same
    /// bits for any thread count.
    /// </remarks>
    internal static Tensor Lstm(Tensor input, Tensor hidden, Tensor cell, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        LstmSizes sizes = LstmSizes.Check(input, hidden, cell, weightIh, weightHh, biasIh, biasHh);
        var kept = new LstmTrace(sizes, input.Span);
        hidden.Span.CopyTo(kept.Hiddens);
        cell.Span.CopyTo(kept.Cells);
        float[] projected = ProjectLstmInput(kept, weightIh, biasIh);
        for (int t = 0; t < sizes.Time; t++)
        {
            Span<float> gates = kept.StepActivations(t);
            Gemm.Multiply(kept.StepHiddens(t), weightHh.Span, gates, sizes.Batch, sizes.Hidden, sizes.Gates, transposeB: true);
            for (int b = 0; b < sizes.Batch; b++)
            {
                Span<float> row = gates.Slice(b * sizes.Gates, sizes.Gates);
                TensorPrimitives.Add(row, biasHh.Span, row);
            }
            TensorPrimitives.Add(gates, projected.AsSpan(t * sizes.StepGates, sizes.StepGates), gates);
            Kernels.LstmCell.Forward(gates, kept.StepCells(t), gates, kept.StepCellTanh(t), kept.StepHiddens(t + 1), kept.StepCells(t + 1), sizes.Hidden);
        }
        ArrayPool<float>.Shared.Return(projected);
        return Record(kept.Output(), Op.Lstm, [input, hidden, cell, weightIh, weightHh, biasIh, biasHh], g =>
        {
            float[] dGates = ArrayPool<float>.Shared.Rent(sizes.Time * sizes.StepGates);
            (Tensor dHidden, Tensor dCell) = LstmSweep(kept, g.Span, weightHh.Span, dGates);
            var gradients = new Tensor?[]
            {
                input._requiresGrad ? LstmInputGradient(dGates, weightIh, sizes) : null,
                hidden._requiresGrad ? dHidden : null,
                cell._requiresGrad ? dCell : null,
                weightIh._requiresGrad ? LstmWeightGradient(dGates, kept.Inputs, weightIh, sizes) : null,
                weightHh._requiresGrad ? LstmWeightGradient(dGates, kept.Hiddens, weightHh, sizes) : null,
                null,
                null,
            };
            if (biasIh._requiresGrad || biasHh._requiresGrad)
            {
                Tensor dBias = ColumnSums(Wrap(dGates, [dGates.Length]), sizes.Time * sizes.Batch, sizes.Gates);
                gradients[5] = biasIh._requiresGrad ? dBias : null;
                gradients[6] = biasHh._requiresGrad ? (biasIh._requiresGrad ? dBias.Clone() : dBias) : null;
            }
            ArrayPool<float>.Shared.Return(dGates);
            return gradients;
        });
    }

    /// <summary>x_t·W_ihᵀ + b_ih for every step, time-major (time·batch, 4·hidden), in a pooled array the caller returns.</summary>
    private static float[] ProjectLstmInput(LstmTrace kept, Tensor weightIh, Tensor biasIh)
    {
        LstmSizes sizes = kept.Sizes;
        int rows = sizes.Time * sizes.Batch;
        float[] projected = ArrayPool<float>.Shared.Rent(rows * sizes.Gates);
        Gemm.Multiply(kept.Inputs.AsMemory(0, rows * sizes.Input), weightIh.Memory, projected.AsMemory(0, rows * sizes.Gates), rows, sizes.Input, sizes.Gates, transposeB: true);
        for (int row = 0; row < rows; row++)
        {
            Span<float> values = projected.AsSpan(row * sizes.Gates, sizes.Gates);
            TensorPrimitives.Add(values, biasIh.Span, values);
        }
        return projected;
    }

    /// <summary>A weight's gradient dGatesᵀ·X over all time·batch rows, X the time-major rows it multiplied (the inputs, or h_0 … h_{T−1}).</summary>
    private static Tensor LstmWeightGradient(float[] dGates, float[] rows, Tensor weight, LstmSizes sizes)
    {
        int count = sizes.Time * sizes.Batch;
        int columns = weight._shape[1];
        Tensor gradient = Empty(weight._shape);
        Gemm.Multiply(
            dGates.AsMemory(0, count * sizes.Gates), rows.AsMemory(0, count * columns), gradient.Memory, sizes.Gates, count, columns, transposeA: true);
        return gradient;
    }

    /// <summary>The input's gradient dGates·W_ih, from time-major rows back to (batch, time, in).</summary>
    private static Tensor LstmInputGradient(float[] dGates, Tensor weightIh, LstmSizes sizes)
    {
        int rows = sizes.Time * sizes.Batch;
        float[] timeMajor = ArrayPool<float>.Shared.Rent(rows * sizes.Input);
        Gemm.Multiply(dGates.AsMemory(0, rows * sizes.Gates), weightIh.Memory, timeMajor.AsMemory(0, rows * sizes.Input), rows, sizes.Gates, sizes.Input);
        Tensor gradient = Empty([sizes.Batch, sizes.Time, sizes.Input]);
        Transpose01(timeMajor, gradient.Span, sizes.Time, sizes.Batch, sizes.Input);
        ArrayPool<float>.Shared.Return(timeMajor);
        return gradient;
    }

    /// <summary>Copies (a, b, width) rows of <paramref name="source"/> into (b, a, width) order.</summary>
    private static void Transpose01(ReadOnlySpan<float> source, Span<float> destination, int a, int b, int width)
    {
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                source.Slice((i * b + j) * width, width).CopyTo(destination.Slice((j * a + i) * width, width));
            }
        }
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

    /// <summary>The sizes of an LSTM layer's run, checked against every operand.</summary>
    private readonly record struct LstmSizes(int Batch, int Time, int Input, int Hidden)
    {
        public int Gates => 4 * Hidden;

        public int StepGates => Batch * Gates;

        public int StepStates => Batch * Hidden;

        public static LstmSizes Check(Tensor input, Tensor hidden, Tensor cell, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
        {
            int[] x = input.Rank == 3 ? input._shape : [-1, -1, -1];
            var sizes = new LstmSizes(x[0], x[1], x[2], hidden.Rank == 2 ? hidden._shape[1] : -1);
            int gates = sizes.Gates;
            if (sizes.Hidden <= 0 || sizes.Time <= 0 || sizes.Input <= 0 || !hidden.HasShape([sizes.Batch, sizes.Hidden]) || !cell.HasShape([sizes.Batch, sizes.Hidden])
                || !weightIh.HasShape([gates, sizes.Input]) || !weightHh.HasShape([gates, sizes.Hidden]) || !biasIh.HasShape([gates]) || !biasHh.HasShape([gates]))
            {
                throw new ArgumentException(
                    "An LSTM layer needs an input (batch, time ≥ 1, in ≥ 1), states (batch, hidden), weights (4·hidden, in) and (4·hidden, hidden) and biases (4·hidden), " +
                    $"but got {input.ShapeText}, {hidden.ShapeText}, {cell.ShapeText}, {weightIh.ShapeText}, {weightHh.ShapeText}, {biasIh.ShapeText} and {biasHh.ShapeText}.",
                    nameof(input));
            }
            return sizes;
        }
    }

    /// <summary>
    /// What an LSTM layer's forward keeps for its backward, time-major: the input, states h_0 … h_T and c_0 … c_T, and per
    /// step the gates' activations and tanh(c_t). Every element is written before it is read, so none is zeroed first.
    /// </summary>
    private sealed class LstmTrace
    {
        private readonly float[] _activations;

        private readonly float[] _cellTanh;

        /// <summary>Keeps a time-major copy of <paramref name="input"/> (batch, time, in) and makes room for the rest.</summary>
        public LstmTrace(LstmSizes sizes, ReadOnlySpan<float> input)
        {
            Sizes = sizes;
            Inputs = GC.AllocateUninitializedArray<float>(sizes.Time * sizes.Batch * sizes.Input);
            Transpose01(input, Inputs, sizes.Batch, sizes.Time, sizes.Input);
            Hiddens = GC.AllocateUninitializedArray<float>((sizes.Time + 1) * sizes.StepStates);
            Cells = GC.AllocateUninitializedArray<float>((sizes.Time + 1) * sizes.StepStates);
            _activations = GC.AllocateUninitializedArray<float>(sizes.Time * sizes.StepGates);
            _cellTanh = GC.AllocateUninitializedArray<float>(sizes.Time * sizes.StepStates);
        }

        public LstmSizes Sizes { get; }

        /// <summary>The input, (time, batch, in).</summary>
        public float[] Inputs { get; }

        /// <summary>h_0 … h_T, each (batch, hidden).</summary>
        public float[] Hiddens { get; }

        /// <summary>c_0 … c_T, each (batch, hidden).</summary>
        public float[] Cells { get; }

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
