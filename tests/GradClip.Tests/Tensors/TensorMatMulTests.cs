using GradClip.Tensors;
using GradClip.Tests.Autograd;

namespace GradClip.Tests.Tensors;

public class TensorMatMulTests
{
    [Fact]
    public void MatMul_of_two_matrices_by_hand()
    {
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([7, 8, 9, 10, 11, 12], 3, 2);

        Tensor c = a.MatMul(b);

        Assert.Equal([2, 2], c.Shape);
        Assert.Equal([58f, 64, 139, 154], c.ToArray());
    }

    [Fact]
    public void MatMul_gradients_match_finite_differences_for_2D_batched_and_shared_right_operand()
    {
        GradCheck.AssertGradients(t => t[0].MatMul(t[1]), GradCheck.Uniform(1, -1, 1, 3, 4), GradCheck.Uniform(2, -1, 1, 4, 2));
        GradCheck.AssertGradients(t => t[0].MatMul(t[1]), GradCheck.Uniform(3, -1, 1, 2, 3, 4), GradCheck.Uniform(4, -1, 1, 2, 4, 2));
        GradCheck.AssertGradients(t => t[0].MatMul(t[1]), GradCheck.Uniform(5, -1, 1, 2, 3, 4), GradCheck.Uniform(6, -1, 1, 4, 2));
    }

    [Fact]
    public void MatMul_batches_over_any_leading_axes_matrix_by_matrix()
    {
        Tensor a = GradCheck.Uniform(1, -1, 1, 2, 3, 4, 5);
        Tensor b = GradCheck.Uniform(2, -1, 1, 2, 3, 5, 2);

        Tensor product = a.MatMul(b);

        Assert.Equal([2, 3, 4, 2], product.Shape);
        for (int batch = 0; batch < 6; batch++)
        {
            Tensor expected = Tensor.FromArray(a.ToArray()[(batch * 20)..((batch + 1) * 20)], 4, 5)
                .MatMul(Tensor.FromArray(b.ToArray()[(batch * 10)..((batch + 1) * 10)], 5, 2));
            Assert.Equal(expected.ToArray(), product.ToArray()[(batch * 8)..((batch + 1) * 8)]);
        }
        GradCheck.AssertGradients(() => a.MatMul(b), [a, b]);
        Tensor shared = GradCheck.Uniform(3, -1, 1, 5, 3);
        Assert.Equal([2, 3, 4, 3], a.MatMul(shared).Shape);
        GradCheck.AssertGradients(() => a.MatMul(shared), [a, shared]);
    }

    [Fact]
    public void MatMul_with_mismatched_inner_sizes_names_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 2)));

        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
    }

    [Fact]
    public void Linear_equals_input_times_weight_transposed_plus_bias()
    {
        var x = Tensor.FromArray([1, 2], 1, 2);
        var w = Tensor.FromArray([1, 0, 0, 1, 1, 1], 3, 2);
        var b = Tensor.FromArray([10, 20, 30]);

        Assert.Equal([11f, 22, 33], Tensor.Linear(x, w, b).ToArray());
    }

    [Fact]
    public void Linear_gradients_match_finite_differences_for_2D_and_3D_inputs()
    {
        GradCheck.AssertGradients(
            t => Tensor.Linear(t[0], t[1], t[2]),
            GradCheck.Uniform(7, -1, 1, 4, 3), GradCheck.Uniform(8, -1, 1, 2, 3), GradCheck.Uniform(9, -1, 1, 2));
        GradCheck.AssertGradients(
            t => Tensor.Linear(t[0], t[1], null),
            GradCheck.Uniform(10, -1, 1, 2, 5, 3), GradCheck.Uniform(11, -1, 1, 4, 3));
    }
}
