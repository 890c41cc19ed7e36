using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorViewsTests
{
    private static Tensor Counting(params int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        return Tensor.FromArray([.. Enumerable.Range(0, count).Select(i => (float)i)], shape);
    }

    /// <summary>Narrow by explicit indices over (outer, size, inner): the copying result a view must equal.</summary>
    private static float[] NarrowByIndex(Tensor t, int axis, int start, int length)
    {
        int outer = t.Shape.Take(axis).Aggregate(1, (a, b) => a * b);
        int size = t.Shape[axis];
        int inner = t.Count / outer / size;
        var result = new List<float>();
        for (int o = 0; o < outer; o++)
        {
            for (int s = start; s < start + length; s++)
            {
                for (int i = 0; i < inner; i++)
                {
                    result.Add(t[(o * size + s) * inner + i]);
                }
            }
        }
        return [.. result];
    }

    [Fact]
    public void Narrow_along_the_first_axis_is_a_view_with_the_copying_values()
    {
        Tensor t = Counting(4, 3, 2);

        Tensor rows = t.Narrow(0, 1, 2);

        Assert.Equal(NarrowByIndex(t, 0, 1, 2), rows.ToArray());
        Assert.Equal([2, 3, 2], rows.Shape);
        Assert.Equal(6, rows.StorageOffset);
        t[6] = -1;
        rows[1] = -2;
        Assert.Equal(-1f, rows[0]);
        Assert.Equal(-2f, t[7]);
    }

    [Fact]
    public void Narrow_of_a_whole_axis_or_after_size_one_axes_is_a_view()
    {
        Tensor t = Counting(1, 4, 3);

        Tensor middle = t.Narrow(1, 2, 2);
        Tensor whole = t.Narrow(2, 0, 3);

        Assert.Equal(NarrowByIndex(t, 1, 2, 2), middle.ToArray());
        Assert.Equal(t.ToArray(), whole.ToArray());
        t[6] = 100;
        t[0] = 50;
        Assert.Equal(100f, middle[0]);
        Assert.Equal(50f, whole[0]);
    }

    [Fact]
    public void Narrow_of_an_inner_axis_copies()
    {
        Tensor t = Counting(3, 4);

        Tensor columns = t.Narrow(1, 1, 2);

        Assert.Equal(NarrowByIndex(t, 1, 1, 2), columns.ToArray());
        t[1] = 100;
        Assert.Equal(1f, columns[0]);
    }

    [Fact]
    public void Chunk_along_the_first_axis_gives_views_whose_gradients_meet_in_the_source()
    {
        Tensor t = Counting(4, 3);
        t.RequiresGrad = true;

        Tensor[] halves = t.Chunk(2, 0);
        (halves[0] * 2f + halves[1] * 3f).Sum().Backward();

        Assert.Equal(NarrowByIndex(t, 0, 2, 2), halves[1].ToArray());
        Assert.Equal(6, halves[1].StorageOffset);
        Assert.Equal([2f, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3], t.Grad!.ToArray());
    }

    [Fact]
    public void Transpose_with_a_size_one_axis_is_a_view_equal_to_the_general_copy()
    {
        Tensor t = Counting(3, 1, 4);

        Tensor swapped = t.Transpose(0, 1);
        Tensor copied = t.Permute(2, 0, 1).Permute(1, 2, 0);

        Assert.Equal([1, 3, 4], swapped.Shape);
        Assert.Equal(copied.ToArray(), swapped.ToArray());
        t[5] = -7;
        Assert.Equal(-7f, swapped[5]);
    }

    [Fact]
    public void Permute_that_moves_only_size_one_axes_is_a_view_and_others_copy()
    {
        Tensor t = Counting(2, 1, 3);

        Tensor view = t.Permute(1, 0, 2);
        Tensor copy = t.Permute(2, 1, 0);

        t[4] = 40;
        Assert.Equal([1, 2, 3], view.Shape);
        Assert.Equal(40f, view[4]);
        // copy[i, 0, j] = t[j, 0, i], read before the write.
        Assert.Equal([3, 1, 2], copy.Shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], copy.ToArray());
    }

    [Fact]
    public void Gradients_through_views_match_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Narrow(0, 1, 2).Tanh(), GradCheck.Uniform(11, -1, 1, 4, 3));
        GradCheck.AssertGradients(t => t[0].Transpose(1, 2).Tanh(), GradCheck.Uniform(12, -1, 1, 2, 3, 1));
        GradCheck.AssertGradients(
            t => Tensor.Cat([t[0].Narrow(0, 0, 1), t[0].Narrow(0, 2, 1) * 2f], 0).Tanh(), GradCheck.Uniform(13, -1, 1, 3, 2));
    }
}
