namespace GradClip.Tests;

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
}
