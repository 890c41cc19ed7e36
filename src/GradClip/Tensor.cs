using System.Collections.ObjectModel;
using System.Globalization;

namespace GradClip;

/// <summary>A float32, row-major, contiguous n-dimensional array that can carry a gradient, as a PyTorch tensor does.</summary>
/// <remarks>
/// <see cref="FromArray"/> wraps the caller's array without copying, so that clipping a tensor's gradient
/// in place also changes the array it was made from: code that keeps gradients in plain arrays can clip them
/// through tensors.
/// </remarks>
public sealed partial class Tensor
{
    private readonly float[] _data;
    private readonly int[] _shape;
    private Tensor? _grad;

    private Tensor(float[] data, int[] shape)
    {
        _data = data;
        _shape = shape;
        Shape = Array.AsReadOnly(shape);
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape; no shape means one dimension.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int[] dims = shape.Length == 0 ? [data.Length] : (int[])shape.Clone();
        long count = CountOf(dims);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Shape {Format(dims)} holds {count} elements but the array has {data.Length}.", nameof(shape));
        }
        return new Tensor(data, dims);
    }

    /// <summary>A new tensor of the given shape filled with zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = CountOf(shape);
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Shape {Format(shape)} holds {count} elements, more than an array can.");
        }
        return new Tensor(new float[count], (int[])shape.Clone());
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public ReadOnlyCollection<int> Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Count => _data.Length;

    /// <summary>The elements in row-major order, writable in place.</summary>
    public Span<float> Span => _data;

    /// <summary>The elements in row-major order as memory, for code that stores or passes buffers.</summary>
    public Memory<float> Memory => _data;

    /// <summary>An optional name, used in messages and reports (a parameter's hierarchical name).</summary>
    public string? Name { get; set; }

    /// <summary>The gradient of this tensor, or null when none has been computed; it must have this tensor's shape.</summary>
    public Tensor? Grad
    {
        get => _grad;
        set
        {
            if (value is not null && !HasShape(value._shape))
            {
                throw new ArgumentException(
                    $"Gradient shape {Format(value._shape)} does not match tensor shape {Format(_shape)}{NameSuffix()}.",
                    nameof(value));
            }
            _grad = value;
        }
    }

    /// <summary>The element at the given row-major flat index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[int index]
    {
        get => _data[index];
        set => _data[index] = value;
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray() => (float[])_data.Clone();

    /// <summary>A tensor with a copy of this one's elements and shape (no gradient, no name).</summary>
    public Tensor Clone() => new((float[])_data.Clone(), (int[])_shape.Clone());

    /// <summary>Whether this tensor's shape equals <paramref name="shape"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>The shape written as PyTorch prints it, e.g. <c>[2, 3]</c>.</summary>
    public string ShapeText => Format(_shape);

    /// <inheritdoc/>
    public override string ToString() =>
        $"Tensor{ShapeText}{NameSuffix()}";

    /// <summary>Writes a shape as <c>[d0, d1, ...]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }
        return "[" + string.Join(", ", parts) + "]";
    }

    private string NameSuffix() => Name is null ? "" : $" '{Name}'";

    private static long CountOf(int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), $"Shape {Format(shape)} has a negative dimension.");
            }
            count = checked(count * d);
        }
        return count;
    }
}
