using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// One LSTM step's element-wise part as one fused op: gate pre-activations (batch, 4·hidden), in PyTorch's order
    /// input, forget, cell, output, and the previous cell state (batch, hidden) → (batch, 2·hidden) holding the new
    /// hidden state h' = o⊙tanh(c') and the new cell state c' = f⊙c + i⊙g side by side.
    /// </summary>
    internal static Tensor LstmCell(Tensor gates, Tensor cell)
    {
        int hidden = cell._shape[^1];
        if (gates.Rank != 2 || cell.Rank != 2 || gates._shape[0] != cell._shape[0] || gates._shape[1] != 4 * hidden)
        {
            throw new ArgumentException($"An LSTM step needs gates (batch, 4·hidden) and a cell state (batch, hidden), but got {gates.ShapeText} and {cell.ShapeText}.", nameof(gates));
        }
        Tensor output = Empty([cell._shape[0], 2 * hidden]);
        var activations = new float[gates.Count];
        var cellTanh = new float[cell.Count];
        Kernels.LstmCell.Forward(gates.Span, cell.Span, activations, cellTanh, output.Span, hidden);
        return Record(output, Op.LstmCell, [gates, cell], g =>
        {
            Tensor? gradGates = gates._requiresGrad ? Empty(gates._shape) : null;
            Tensor? gradCell = cell._requiresGrad ? Empty(cell._shape) : null;
            Kernels.LstmCell.Backward(activations, cellTanh, cell.Span, g.Span, SpanOrEmpty(gradGates), SpanOrEmpty(gradCell), hidden);
            return [gradGates, gradCell];
        });
    }
}
