using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorShapeTests
{
    [Fact]
    public void Reshape_infers_one_dimension_and_shares_the_elements()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

        Tensor r = t.Reshape(3, -1);

        Assert.Equal([3, 2], r.Shape);
        t[0] = 9;
        Assert.Equal(9f, r[0]);
    }

    [Fact]
    public void Reshape_to_a_different_count_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));

        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
    }

    [Fact]
    public void Transpose_and_Permute_move_elements()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

        Assert.Equal([1f, 4, 2, 5, 3, 6], t.Transpose(0, 1).ToArray());
        Assert.Equal([3, 2], t.Transpose(0, 1).Shape);

        var cube = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        Tensor p = cube.Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape);
        Assert.Equal(cube[1 * 12 + 2 * 4 + 3], p[3 * 6 + 1 * 3 + 2]);
    }

    [Fact]
    public void Narrow_Chunk_Cat_and_Stack_compute_the_expected_values()
    {
        var t = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);

        Assert.Equal([2f, 3, 5, 6], t.Narrow(1, 1, 2).ToArray());
        Tensor[] chunks = t.Chunk(2, 1);
        Assert.Equal([2, 2], chunks[0].Shape);
        Assert.Equal([2, 1], chunks[1].Shape);
        Assert.Equal(t.ToArray(), Tensor.Cat(chunks, 1).ToArray());
        Tensor stacked = Tensor.Stack([t, t], 1);
        Assert.Equal([2, 2, 3], stacked.Shape);
        Assert.Equal([1f, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], stacked.ToArray());
    }

    [Fact]
    public void Cat_with_mismatched_shapes_names_both()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));

        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[3, 3]", ex.Message);
    }

    [Fact]
    public void Shape_op_gradients_match_finite_differences()
    {
        GradCheck.AssertGradients(t => t[0].Reshape(4, 6), GradCheck.Uniform(1, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Transpose(0, 2), GradCheck.Uniform(2, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Permute(1, 2, 0), GradCheck.Uniform(3, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Narrow(1, 1, 2), GradCheck.Uniform(4, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => t[0].Chunk(3, 2)[1].Unsqueeze(0).Squeeze(0), GradCheck.Uniform(5, -1, 1, 2, 3, 4));
        GradCheck.AssertGradients(t => Tensor.Cat([t[0], t[1], t[0]], 1), GradCheck.Uniform(6, -1, 1, 2, 3), GradCheck.Uniform(7, -1, 1, 2, 1));
        GradCheck.AssertGradients(t => Tensor.Stack([t[0], t[1]], 2), GradCheck.Uniform(8, -1, 1, 2, 3), GradCheck.Uniform(9, -1, 1, 2, 3));
        GradCheck.AssertGradients(t => t[0].Expand(2, 4, 3), GradCheck.Uniform(10, -1, 1, 4, 1));
    }

    [Fact]
    public void IndexSelect_picks_rows_and_scatter_adds_repeated_rows()
    {
        var table = Tensor.FromArray([1, 2, 3, 4, 5, 6], 3, 2);
        table.RequiresGrad = true;

        Tensor rows = table.IndexSelect([2, 0, 2]);
        rows.Sum().Backward();

        Assert.Equal([5f, 6, 1, 2, 5, 6], rows.ToArray());
        Assert.Equal([1f, 1, 0, 0, 2, 2], table.Grad!.ToArray());
        GradCheck.AssertGradients(t => t[0].IndexSelect([1, 1, 0, 2]), GradCheck.Uniform(11, -1, 1, 3, 2));
    }

    [Fact]
    public void IndexSelect_rejects_an_index_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(3, 2).IndexSelect([3]));
    }
}
