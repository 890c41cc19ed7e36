using System.Numerics.Tensors;
using GradClip.Autograd;

namespace GradClip.Tensors;

public sealed partial class Tensor
{
    private delegate void SpanUnary(ReadOnlySpan<float> x, Span<float> destination);

    private delegate void SpanBinary(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    /// <summary>this + other, broadcasting by numpy rules.</summary>
    public Tensor Add(Tensor other) =>
        Binary(Op.Add, this, other, TensorPrimitives.Add, (x, y, g) => [g, g]);

    /// <summary>this · other element-wise, broadcasting by numpy rules.</summary>
    public Tensor Mul(Tensor other) =>
        Binary(Op.Mul, this, other, TensorPrimitives.Multiply, (x, y, g) => [g.Mul(y), g.Mul(x)]);

    /// <summary>this − other, broadcasting (composed: this + (−other)).</summary>
    public Tensor Sub(Tensor other) => Add(other.Neg());

    /// <summary>this / other, broadcasting (composed: this · other⁻¹).</summary>
    public Tensor Div(Tensor other) => Mul(other.Pow(-1f));

    /// <summary>this + value.</summary>
    public Tensor Add(float value) =>
        Unary(Op.AddScalar, (x, y) => TensorPrimitives.Add(x, value, y), (x, y, g) => g);

    /// <summary>this · value.</summary>
    public Tensor Mul(float value) =>
        Unary(Op.MulScalar, (x, y) => TensorPrimitives.Multiply(x, value, y), (x, y, g) => g.Mul(value));

    /// <summary>this − value.</summary>
    public Tensor Sub(float value) => Add(-value);

    /// <summary>this / value.</summary>
    public Tensor Div(float value) => Mul(1f / value);

    /// <summary>−this.</summary>
    public Tensor Neg() => Mul(-1f);

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);

    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>A constant added to every element.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Add(b);

    /// <summary>A constant added to every element.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Add(a);

    /// <summary>A constant subtracted from every element.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Sub(b);

    /// <summary>Every element subtracted from a constant.</summary>
    public static Tensor operator -(float a, Tensor b) => b.Neg().Add(a);

    /// <summary>Every element multiplied by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);

    /// <summary>Every element multiplied by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Mul(a);

    /// <summary>Every element divided by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Div(b);

    /// <summary>A constant divided by every element.</summary>
    public static Tensor operator /(float a, Tensor b) => b.Pow(-1f).Mul(a);

    /// <summary>Broadcasts both operands, applies <paramref name="forward"/> and records the rule (x, y, dOut) → [dx, dy].</summary>
    private static Tensor Binary(Op op, Tensor a, Tensor b, SpanBinary forward, Func<Tensor, Tensor, Tensor, Tensor?[]> backward)
    {
        ArgumentNullException.ThrowIfNull(b);
        int[] shape = BroadcastShape(a._shape, b._shape);
        Tensor x = a.Expand(shape);
        Tensor y = b.Expand(shape);
        Tensor result = Uninitialized(shape);
        forward(x.Span, y.Span, result.Span);
        return Record(result, op, [x, y], g => backward(x, y, g));
    }

    /// <summary>Applies <paramref name="forward"/> element-wise and records the rule (x, y, dOut) → dx.</summary>
    private Tensor Unary(Op op, SpanUnary forward, Func<Tensor, Tensor, Tensor, Tensor> backward)
    {
        Tensor result = Uninitialized(_shape);
        forward(Span, result.Span);
        Tensor input = this;
        return Record(result, op, [this], g => [backward(input, result, g)]);
    }

    /// <summary>A new tensor whose element i is rule(gradient[i], value[i]), for element-wise backward rules.</summary>
    private static Tensor MapGradient(Tensor gradient, Tensor value, Func<float, float, float> rule)
    {
        Tensor result = Empty(gradient._shape);
        Span<float> output = result.Span;
        ReadOnlySpan<float> gs = gradient.Span;
        ReadOnlySpan<float> values = value.Span;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = rule(gs[i], values[i]);
        }
        return result;
    }
}
