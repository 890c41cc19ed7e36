using System.Numerics.Tensors;
using GradClip.Autograd;
using GradClip.Kernels;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    /// <summary>e^x element-wise.</summary>
    public Tensor Exp() => Unary(Op.Exp, TensorPrimitives.Exp, (x, y, g) => g.Mul(y));

    /// <summary>Natural logarithm element-wise.</summary>
    public Tensor Log() => Unary(Op.Log, TensorPrimitives.Log, (x, y, g) => g.Div(x));

    /// <summary>Square root element-wise.</summary>
    public Tensor Sqrt() => Unary(Op.Sqrt, TensorPrimitives.Sqrt, (x, y, g) => MapGradient(g, y, (gv, yv) => 0.5f * gv / yv));

    /// <summary>x^<paramref name="exponent"/> element-wise (NaN for a negative base with a fractional exponent, as PyTorch).</summary>
    public Tensor Pow(float exponent) => Unary(
        Op.Pow,
        (x, y) => TensorPrimitives.Pow(x, exponent, y),
        // x⁰ is constant, so its gradient is 0 everywhere (0 · 0⁻¹ would give NaN at x = 0), as PyTorch special-cases it.
        (x, y, g) => exponent == 0f ? Zeros(x._shape) : MapGradient(g, x, (gv, xv) => gv * exponent * MathF.Pow(xv, exponent - 1f)));

    /// <summary>|x| element-wise; the gradient at 0 is 0, as PyTorch.</summary>
    public Tensor Abs() => Unary(Op.Abs, TensorPrimitives.Abs, (x, y, g) => MapGradient(g, x, (gv, xv) => gv * SignKeepingNaN(xv)));

    /// <summary>The sign of x (0 at 0), NaN for NaN: MathF.Sign throws on NaN, and a diverging run must get NaN gradients, not an exception.</summary>
    private static float SignKeepingNaN(float x) => x > 0 ? 1f : x < 0 ? -1f : x;

    /// <summary>tanh(x) element-wise.</summary>
    public Tensor Tanh() => Unary(Op.Tanh, TensorPrimitives.Tanh, (x, y, g) => Gradient(ActivationGradients.Tanh, y, g));

    /// <summary>1 / (1 + e^−x) element-wise.</summary>
    public Tensor Sigmoid() => Unary(Op.Sigmoid, TensorPrimitives.Sigmoid, (x, y, g) => Gradient(ActivationGradients.Sigmoid, y, g));

    /// <summary>max(x, 0) element-wise; the gradient at 0 is 0, as PyTorch.</summary>
    public Tensor Relu() => Unary(
        Op.Relu,
        (x, y) => TensorPrimitives.Max(x, 0f, y),
        (x, y, g) => Gradient(ActivationGradients.Relu, x, g));

    /// <summary>GELU in its exact erf form, x·Φ(x) (PyTorch's default, <c>approximate='none'</c>), by a fused vectorised kernel.</summary>
    /// <remarks>Large tensors are shared between two threads; the result is the same bits either way.</remarks>
    public Tensor Gelu()
    {
        Tensor result = Uninitialized(_shape);
        Kernels.Gelu.Forward(Memory, result.Memory);
        Tensor input = this;
        return Record(result, Op.Gelu, [this], g =>
        {
            Tensor gradient = Uninitialized(input._shape);
            Kernels.Gelu.Backward(input.Memory, g.Memory, gradient.Memory);
            return [gradient];
        });
    }

    /// <summary>A new tensor filled by an element-wise backward kernel from one saved tensor and the output's gradient.</summary>
    private static Tensor Gradient(SpanBinary kernel, Tensor saved, Tensor outputGradient)
    {
        Tensor gradient = Uninitialized(saved._shape);
        kernel(saved.Span, outputGradient.Span, gradient.Span);
        return gradient;
    }
}
