using System.Collections.ObjectModel;
using System.Globalization;

namespace GradClip.Tensors;

/// <summary>A float32, row-major, contiguous n-dimensional array that can carry a gradient, as a PyTorch tensor does.</summary>
/// <remarks>
/// A tensor's elements are a contiguous range of a float array, its storage: all of it for most tensors, a part of it
/// for a view (<see cref="FromStorage"/>, a <see cref="Reshape"/>, a gradient in <see cref="Autograd.FlatGradients"/>).
/// <see cref="FromArray"/> wraps the caller's array without copying, so that clipping a tensor's gradient
/// in place also changes the array it was made from: code that keeps gradients in plain arrays can clip them
/// through tensors.
/// </remarks>
public sealed partial class Tensor
{
    private readonly float[] _storage;
    private readonly int _offset;
    private readonly int _count;
    private readonly int[] _shape;
    private Tensor? _grad;
    // When Grad is a view into a FlatGradients buffer: that buffer and this tensor's position in its parameter list.
    private Autograd.FlatGradients? _flatGradients;
    private int _flatIndex;
    // How many optimizer steps have changed this tensor in place (PyTorch's _version), and the count when Backward() last
    // wrote Grad (NoVersion when Grad was set by hand or zeroed): they differ when Grad is older than the parameter.
    private int _version;
    private int _gradVersion = NoVersion;

    private Tensor(float[] storage, int offset, int count, int[] shape)
    {
        _storage = storage;
        _offset = offset;
        _count = count;
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
        return new Tensor(data, 0, data.Length, dims);
    }

    /// <summary>
    /// A view of the elements [<paramref name="storageOffset"/>, storageOffset + count) of <paramref name="storage"/> (not
    /// copied) with the given shape, as PyTorch's <c>storage_offset</c>: writes through either are seen by the other.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative, or the shape's elements do not fit in the storage after it.</exception>
    public static Tensor FromStorage(float[] storage, int storageOffset, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(shape);
        int[] dims = (int[])shape.Clone();
        long count = CountOf(dims);
        if (storageOffset < 0 || storageOffset + count > storage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(storageOffset), storageOffset,
                $"Shape {Format(dims)} holds {count} elements, which do not fit from offset {storageOffset} in a storage of {storage.Length}.");
        }
        return new Tensor(storage, storageOffset, (int)count, dims);
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
        return Wrap(new float[count], (int[])shape.Clone());
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public ReadOnlyCollection<int> Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Count => _count;

    /// <summary>The elements in row-major order, writable in place.</summary>
    public Span<float> Span => new(_storage, _offset, _count);

    /// <summary>The elements in row-major order as memory, for code that stores or passes buffers.</summary>
    public Memory<float> Memory => new(_storage, _offset, _count);

    /// <summary>Where this tensor's first element lies in its storage (0 unless it is a view made by <see cref="FromStorage"/>).</summary>
    public int StorageOffset => _offset;

    /// <summary>The array holding this tensor's elements, from <see cref="StorageOffset"/> on.</summary>
    internal float[] Storage => _storage;

    /// <summary>An optional name, used in messages and reports (a parameter's hierarchical name).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The gradient of this tensor, or null when none has been computed; it must have this tensor's shape. Setting it
    /// replaces a view into <see cref="Autograd.FlatGradients"/> as well.
    /// </summary>
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
            _flatGradients?.Unbind(_flatIndex);
            _flatGradients = null;
            _grad = value;
            SetGradVersion(NoVersion);
        }
    }

    /// <summary>The flat buffer <see cref="Grad"/> is a view into, or null.</summary>
    internal Autograd.FlatGradients? FlatGradients => _flatGradients;

    /// <summary>
    /// Makes <paramref name="view"/> (this tensor's shape) the gradient, as parameter <paramref name="index"/> of
    /// <paramref name="flat"/>; <see cref="ZeroGrad"/> zeroes it instead of dropping it.
    /// </summary>
    internal void BindGradView(Tensor view, Autograd.FlatGradients flat, int index)
    {
        Grad = view;
        _flatGradients = flat;
        _flatIndex = index;
    }

    /// <summary>The element at the given row-major flat index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A tensor with a copy of this one's elements and shape (no gradient, no name).</summary>
    public Tensor Clone() => Wrap(ToArray(), (int[])_shape.Clone());

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
