using GradClip.Tensors;

namespace GradClip.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void FromArray_without_shape_is_one_dimensional_and_shares_the_array()
    {
        var data = new float[] { 1, 2, 3 };
        var t = Tensor.FromArray(data);

        Assert.Equal([3], t.Shape);
        Assert.Equal(3, t.Count);
        t.Span[1] = 20;
        Assert.Equal(20, data[1]);
    }

    [Fact]
    public void FromArray_with_shape_keeps_row_major_order()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal(6f, t[5]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToArray());
    }

    [Fact]
    public void Shape_and_length_mismatch_names_both()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1, 2, 3], 2, 2));
        Assert.Contains("[2, 2]", ex.Message);
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public void Negative_dimension_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, -1));
    }

    [Fact]
    public void Grad_must_match_the_shape_and_the_message_names_both_shapes()
    {
        var p = Tensor.Zeros(2, 3);
        p.Name = "layer.weight";

        var ex = Assert.Throws<ArgumentException>(() => p.Grad = Tensor.Zeros(3, 2));

        Assert.Contains("[3, 2]", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("layer.weight", ex.Message);
        Assert.Null(p.Grad);
    }

    [Fact]
    public void Grad_is_settable_and_clearable()
    {
        var p = Tensor.Zeros(4);
        var g = Tensor.FromArray([1, 2, 3, 4]);

        p.Grad = g;
        Assert.Same(g, p.Grad);
        p.Grad = null;
        Assert.Null(p.Grad);
    }

    [Fact]
    public void ToArray_and_Clone_copy()
    {
        var data = new float[] { 1, 2 };
        var t = Tensor.FromArray(data);

        t.ToArray()[0] = 9;
        t.Clone().Span[1] = 9;

        Assert.Equal([1f, 2], data);
    }

    [Fact]
    public void Zero_sized_tensors_are_allowed()
    {
        var t = Tensor.Zeros(0, 5);
        Assert.Equal(0, t.Count);
        Assert.Equal("[0, 5]", t.ShapeText);
    }

    [Fact]
    public void FromStorage_views_its_range_and_writes_through_either_are_seen_by_the_other()
    {
        var storage = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();

        var view = Tensor.FromStorage(storage, 3, [2, 2]);

        Assert.Equal(3, view.StorageOffset);
        Assert.Equal(4, view.Count);
        Assert.Equal([3f, 4, 5, 6], view.ToArray());
        Assert.Equal(4, view.Span.Length);
        Assert.Equal(4, view.Memory.Length);
        view[1] = 40;
        view.Span[3] = 60;
        storage[5] = 50;
        Assert.Equal([0f, 1, 2, 3, 40, 50, 60, 7, 8, 9], storage);
        Assert.Equal(50f, view[2]);
        Assert.Throws<IndexOutOfRangeException>(() => view[4]);
    }

    [Fact]
    public void FromStorage_rejects_a_range_outside_the_storage_and_names_it()
    {
        var storage = new float[10];

        var past = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.FromStorage(storage, 8, [3]));
        Assert.Contains("[3]", past.Message);
        Assert.Contains("offset 8", past.Message);
        Assert.Contains("10", past.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.FromStorage(storage, -1, [2]));
        Assert.Equal(10, Tensor.FromStorage(storage, 0, [2, 5]).Count);
    }

    [Fact]
    public void Operations_on_a_view_read_only_its_range_and_reshape_and_detach_keep_sharing_it()
    {
        var storage = new float[] { 100, 1, 2, 3, 4, 100 };
        var view = Tensor.FromStorage(storage, 1, [2, 2]);

        Assert.Equal([2f, 4, 6, 8], (view * 2).ToArray());
        Assert.Equal([4f, 6], view.Sum(0).ToArray());
        Assert.Equal([1f, 2, 3, 4], view.Clone().ToArray());
        Assert.Equal(0, view.Clone().StorageOffset);
        var flat = view.Reshape(4);
        var detached = view.Detach();
        flat[0] = -1;
        detached[3] = -4;
        Assert.Equal([100f, -1, 2, 3, -4, 100], storage);
        Assert.Equal(1, flat.StorageOffset);
    }
}
