namespace GradClip.Autograd;

/// <summary>The primitive operation that produced a tensor; each has exactly one backward rule, built where the op is.</summary>
public enum Op
{
    /// <summary>Element-wise sum of two tensors of one shape.</summary>
    Add,

    /// <summary>Element-wise product of two tensors of one shape.</summary>
    Mul,

    /// <summary>A constant added to every element.</summary>
    AddScalar,

    /// <summary>Every element multiplied by a constant.</summary>
    MulScalar,

    /// <summary>Every element raised to a constant exponent.</summary>
    Pow,

    /// <summary>e^x.</summary>
    Exp,

    /// <summary>Natural logarithm.</summary>
    Log,

    /// <summary>Square root.</summary>
    Sqrt,

    /// <summary>Absolute value.</summary>
    Abs,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>Gaussian error linear unit, erf form.</summary>
    Gelu,

    /// <summary>Broadcast to a larger shape (numpy rules), materialized.</summary>
    Expand,

    /// <summary>Sum over one axis.</summary>
    Sum,

    /// <summary>Maximum over one axis.</summary>
    Max,

    /// <summary>Same elements, new shape.</summary>
    Reshape,

    /// <summary>Axes reordered.</summary>
    Permute,

    /// <summary>A contiguous range of one axis.</summary>
    Narrow,

    /// <summary>Tensors joined along one axis.</summary>
    Cat,

    /// <summary>Rows picked by index along the first axis (embedding lookup).</summary>
    IndexSelect,

    /// <summary>Matrix product, 2-D or batched 3-D.</summary>
    MatMul,

    /// <summary>x·Wᵀ (+ b), the affine map of a linear layer, its bias added in place.</summary>
    Linear,

    /// <summary>Softmax over the last axis, optionally with a causal mask, fused.</summary>
    Softmax,

    /// <summary>Log-softmax over the last axis, fused.</summary>
    LogSoftmax,

    /// <summary>Layer normalization over the last axis with optional weight and bias, fused.</summary>
    LayerNorm,

    /// <summary>Multi-head self-attention from a packed query-key-value projection, fused.</summary>
    SelfAttention,

    /// <summary>One LSTM layer over a whole sequence (every step's gates and state update, and the backward sweep), fused.</summary>
    Lstm,

    /// <summary>Elements picked from two tensors by a mask (<c>where</c>, <c>masked_fill</c>).</summary>
    Where,

    /// <summary>Element-wise binary cross-entropy of logits against targets, in its stable form.</summary>
    BinaryCrossEntropyWithLogits,

    /// <summary>Mean or sum of squared differences of two tensors of one shape, fused.</summary>
    MseLoss,

    /// <summary>The windows of a 2-D convolution laid out as rows (im2col).</summary>
    Im2Col,

    /// <summary>The maximum of each window of 2-D max pooling.</summary>
    MaxPool2d,
}
