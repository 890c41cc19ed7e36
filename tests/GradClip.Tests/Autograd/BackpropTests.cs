using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

public class BackpropTests
{
    private static Tensor Leaf(params float[] values)
    {
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void Backward_accumulates_on_repeated_calls()
    {
        Tensor x = Leaf(1, 2);

        (x * x).Sum().Backward();
        (x * x).Sum().Backward();

        Assert.Equal([4f, 8], x.Grad!.ToArray());
    }

    [Fact]
    public void A_tensor_used_twice_receives_both_gradients()
    {
        Tensor x = Leaf(3);

        (x * x + x).Sum().Backward();

        Assert.Equal([7f], x.Grad!.ToArray());
    }

    [Fact]
    public void Only_leaves_keep_gradients()
    {
        Tensor x = Leaf(1, 2);
        Tensor hidden = x * 2f;

        hidden.Sum().Backward();

        Assert.True(x.IsLeaf);
        Assert.False(hidden.IsLeaf);
        Assert.Null(hidden.Grad);
        Assert.Equal([2f, 2], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGrad_records_nothing()
    {
        Tensor x = Leaf(1, 2);
        Tensor y;

        using (Tensor.NoGrad())
        {
            y = (x * x).Sum();
        }

        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.Throws<InvalidOperationException>(y.Backward);
        Assert.True((x * x).RequiresGrad);
    }

    [Fact]
    public void Detach_cuts_the_graph()
    {
        Tensor x = Leaf(2);

        (x * x.Detach()).Sum().Backward();

        Assert.Equal([2f], x.Grad!.ToArray());
    }

    [Fact]
    public void Inputs_that_do_not_require_grad_get_no_gradient()
    {
        Tensor x = Leaf(1, 2);
        var constant = Tensor.FromArray([3f, 4]);

        (x * constant).Sum().Backward();

        Assert.Null(constant.Grad);
        Assert.Equal([3f, 4], x.Grad!.ToArray());
    }

    [Fact]
    public void GradFn_names_the_op_and_its_parents()
    {
        Tensor x = Leaf(1);
        Tensor y = x.Exp();

        Assert.Equal(GradClip.Autograd.Op.Exp, y.GradFn!.Op);
        Assert.Same(x, y.GradFn.Parents[0]);
    }

    [Fact]
    public void Backward_without_a_gradient_needs_one_element()
    {
        Tensor x = Leaf(1, 2);

        var ex = Assert.Throws<InvalidOperationException>((x * 2f).Backward);

        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void Backward_with_an_explicit_gradient_weights_the_outputs()
    {
        Tensor x = Leaf(1, 2);

        (x * 3f).Backward(Tensor.FromArray([1f, 10]));

        Assert.Equal([3f, 30], x.Grad!.ToArray());
    }

    [Fact]
    public void A_seed_gradient_of_the_wrong_shape_names_both_shapes()
    {
        Tensor x = Leaf(1, 2);

        var ex = Assert.Throws<ArgumentException>(() => (x * 3f).Backward(Tensor.Zeros(3)));

        Assert.Contains("[3]", ex.Message);
        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void A_very_deep_graph_backpropagates_without_recursion()
    {
        Tensor x = Leaf(1);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++)
        {
            y = y * 1f;
        }

        y.Sum().Backward();

        Assert.Equal([1f], x.Grad!.ToArray());
    }

    [Fact]
    public void ZeroGrad_drops_the_gradient()
    {
        Tensor x = Leaf(1);
        (x * 2f).Sum().Backward();

        x.ZeroGrad();

        Assert.Null(x.Grad);
    }

    [Fact]
    public void A_computed_tensor_cannot_stop_requiring_grad()
    {
        Tensor y = Leaf(1) * 2f;

        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void Item_reads_a_one_element_tensor()
    {
        Assert.Equal(5f, Tensor.Scalar(5).Item());
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Item());
    }
}
