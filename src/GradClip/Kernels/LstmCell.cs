using System.Numerics;
using System.Numerics.Tensors;

namespace GradClip.Kernels;

/// <summary>
/// One LSTM step's element-wise part for a whole batch, fused: from the gates' pre-activations (batch, 4·hidden) in
/// PyTorch's order (input, forget, cell, output) and the previous cell state, the new hidden and cell states, and the
/// backward rule from the activations it kept.
/// </summary>
internal static class LstmCell
{
    /// <summary>
    /// Per row: i, f, o = σ(·), g = tanh(·) into <paramref name="activations"/>; c' = f⊙c + i⊙g into
    /// <paramref name="cellOut"/>; tanh(c') into <paramref name="cellTanh"/>; h' = o⊙tanh(c') into <paramref name="hiddenOut"/>.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> gates, ReadOnlySpan<float> cell, Span<float> activations, Span<float> cellTanh,
        Span<float> hiddenOut, Span<float> cellOut, int hidden)
    {
        for (int row = 0; row * hidden < cell.Length; row++)
        {
            ReadOnlySpan<float> pre = gates.Slice(row * 4 * hidden, 4 * hidden);
            Span<float> act = activations.Slice(row * 4 * hidden, 4 * hidden);
            TensorPrimitives.Sigmoid(pre[..(2 * hidden)], act[..(2 * hidden)]);
            TensorPrimitives.Tanh(pre.Slice(2 * hidden, hidden), act.Slice(2 * hidden, hidden));
            TensorPrimitives.Sigmoid(pre[(3 * hidden)..], act[(3 * hidden)..]);
            Span<float> h = hiddenOut.Slice(row * hidden, hidden);
            Span<float> c = cellOut.Slice(row * hidden, hidden);
            Span<float> tc = cellTanh.Slice(row * hidden, hidden);
            TensorPrimitives.Multiply(act.Slice(hidden, hidden), cell.Slice(row * hidden, hidden), c);
            TensorPrimitives.MultiplyAdd(act[..hidden], act.Slice(2 * hidden, hidden), c, c);
            TensorPrimitives.Tanh(c, tc);
            TensorPrimitives.Multiply(act[(3 * hidden)..], tc, h);
        }
    }

    /// <summary>
    /// Given the gradients dh of h' and dc' of c' (in <paramref name="cellGradient"/>) per row: dc = dc' + dh⊙o⊙(1 − tanh²c');
    /// the gates' gradients di = dc⊙g⊙i(1−i), df = dc⊙c⊙f(1−f), dg = dc⊙i⊙(1−g²), do = dh⊙tanh(c')⊙o(1−o) into
    /// <paramref name="dGates"/>; then the previous cell state's gradient dc⊙f replaces dc' in <paramref name="cellGradient"/>.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> activations, ReadOnlySpan<float> cellTanh, ReadOnlySpan<float> cell, ReadOnlySpan<float> hiddenGradient,
        Span<float> cellGradient, Span<float> dGates, int hidden)
    {
        for (int row = 0; row * hidden < cell.Length; row++)
        {
            ReadOnlySpan<float> act = activations.Slice(row * 4 * hidden, 4 * hidden);
            var spans = new RowSpans(
                act[..hidden], act.Slice(hidden, hidden), act.Slice(2 * hidden, hidden), act[(3 * hidden)..],
                cellTanh.Slice(row * hidden, hidden), cell.Slice(row * hidden, hidden), hiddenGradient.Slice(row * hidden, hidden));
            Span<float> gatesRow = dGates.Slice(row * 4 * hidden, 4 * hidden);
            Span<float> cellRow = cellGradient.Slice(row * hidden, hidden);
            int j = 0;
            for (; j <= hidden - Vector<float>.Count; j += Vector<float>.Count)
            {
                BackwardAt<VectorLane>(spans, gatesRow, cellRow, hidden, j);
            }
            for (; j < hidden; j++)
            {
                BackwardAt<ScalarLane>(spans, gatesRow, cellRow, hidden, j);
            }
        }
    }

    private static void BackwardAt<TLane>(in RowSpans s, Span<float> dGates, Span<float> dCell, int hidden, int j)
        where TLane : struct, ILane
    {
        Vector<float> one = Vector<float>.One;
        Vector<float> i = TLane.Load(s.Input, j), f = TLane.Load(s.Forget, j), g = TLane.Load(s.Candidate, j), o = TLane.Load(s.Output, j);
        Vector<float> tc = TLane.Load(s.CellTanh, j), dh = TLane.Load(s.HiddenGradient, j);
        Vector<float> dc = TLane.Load(dCell, j) + dh * o * (one - tc * tc);
        TLane.Store(dc * g * i * (one - i), dGates, j);
        TLane.Store(dc * TLane.Load(s.Cell, j) * f * (one - f), dGates, hidden + j);
        TLane.Store(dc * i * (one - g * g), dGates, 2 * hidden + j);
        TLane.Store(dh * tc * o * (one - o), dGates, 3 * hidden + j);
        TLane.Store(dc * f, dCell, j);
    }

    private readonly ref struct RowSpans(
        ReadOnlySpan<float> input, ReadOnlySpan<float> forget, ReadOnlySpan<float> candidate, ReadOnlySpan<float> output,
        ReadOnlySpan<float> cellTanh, ReadOnlySpan<float> cell, ReadOnlySpan<float> hiddenGradient)
    {
        public readonly ReadOnlySpan<float> Input = input, Forget = forget, Candidate = candidate, Output = output;
        public readonly ReadOnlySpan<float> CellTanh = cellTanh, Cell = cell, HiddenGradient = hiddenGradient;
    }

    /// <summary>Loads and stores a vector, or one element in lane 0, so that the vector body and the tail share one formula.</summary>
    private interface ILane
    {
        static abstract Vector<float> Load(ReadOnlySpan<float> source, int index);

        static abstract void Store(Vector<float> value, Span<float> destination, int index);
    }

    private readonly struct VectorLane : ILane
    {
        public static Vector<float> Load(ReadOnlySpan<float> source, int index) => new(source[index..]);

        public static void Store(Vector<float> value, Span<float> destination, int index) => value.CopyTo(destination[index..]);
    }

    private readonly struct ScalarLane : ILane
    {
        public static Vector<float> Load(ReadOnlySpan<float> source, int index) => Vector.CreateScalar(source[index]);

        public static void Store(Vector<float> value, Span<float> destination, int index) => destination[index] = value[0];
    }
}
