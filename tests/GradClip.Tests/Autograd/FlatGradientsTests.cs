using GradClip.Autograd;
using GradClip.Nn;
using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

public class FlatGradientsTests
{
    private static Tensor Leaf(string name, params int[] shape)
    {
        var t = Tensor.Uniform(new Random(name.Length), -1, 1, shape);
        t.RequiresGrad = true;
        t.Name = name;
        return t;
    }

    [Fact]
    public void Each_gradient_is_a_view_of_its_range_in_parameter_order()
    {
        Tensor[] parameters = [Leaf("w", 2, 3), Leaf("b", 4), Leaf("s", 1)];

        var flat = new FlatGradients(parameters);

        Assert.Equal(11, flat.Buffer.Length);
        Assert.Equal(parameters, flat.Parameters);
        Assert.Equal([0, 6, 10], parameters.Select(p => p.Grad!.StorageOffset));
        Assert.Equal([2, 3], parameters[0].Grad!.Shape);
        parameters[1].Grad![2] = 7;
        parameters[2].Grad!.Span[0] = 9;
        Assert.Equal(7f, flat.Buffer.Span[8]);
        Assert.Equal(9f, flat.Buffer.Span[10]);
        flat.Buffer.Span[0] = 5;
        Assert.Equal(5f, parameters[0].Grad![0]);
    }

    [Fact]
    public void A_gradient_a_parameter_already_has_is_copied_into_its_view()
    {
        var a = Leaf("a", 2);
        var b = Leaf("b", 3);
        b.Grad = Tensor.FromArray([1, 2, 3]);

        var flat = new FlatGradients([a, b]);

        Assert.Equal([0f, 0, 1, 2, 3], flat.Buffer.ToArray());
    }

    [Fact]
    public void A_null_or_repeated_parameter_is_rejected_with_its_index()
    {
        var a = Leaf("a", 2);

        var repeated = Assert.Throws<ArgumentException>(() => new FlatGradients([a, Leaf("b", 1), a]));
        Assert.Contains("Parameter 2", repeated.Message);
        var missing = Assert.Throws<ArgumentException>(() => new FlatGradients([a, null!]));
        Assert.Contains("Parameter 1 is null", missing.Message);
    }

    [Fact]
    public void Backward_accumulates_into_the_views_the_same_gradients_as_into_separate_tensors()
    {
        var x = Tensor.FromArray([0.5f, -1, 2, 0.25f, 3, -2], 2, 3);
        (Tensor W, Tensor B) Model(bool flat)
        {
            var w = Leaf("weight", 4, 3);
            var b = Leaf("bias", 4);
            var views = flat ? new FlatGradients([w, b]).Parameters.Select(p => p.Grad).ToArray() : [null, null];
            for (int pass = 0; pass < 2; pass++)
            {
                (x.MatMul(w.Transpose(0, 1)) + b).Tanh().Sum().Backward();
            }
            if (flat)
            {
                Assert.Same(views[0], w.Grad);
                Assert.Same(views[1], b.Grad);
            }
            return (w, b);
        }

        var separate = Model(flat: false);
        var flat = Model(flat: true);

        Assert.Equal(separate.W.Grad!.ToArray(), flat.W.Grad!.ToArray());
        Assert.Equal(separate.B.Grad!.ToArray(), flat.B.Grad!.ToArray());
        Assert.Equal(12, flat.B.Grad!.StorageOffset);
    }

    [Fact]
    public void ZeroGrad_zeroes_the_views_in_place_and_keeps_them_in_the_buffer()
    {
        var model = new Linear(3, 2, new Random(1));
        var parameters = model.Parameters().ToArray();
        var flat = new FlatGradients(parameters);
        var optimizer = new Sgd(parameters, learningRate: 0.1);
        var views = parameters.Select(p => p.Grad).ToArray();
        var input = Tensor.FromArray([1, 2, 3], 1, 3);

        foreach (Action zeroGrad in new Action[] { model.ZeroGrad, optimizer.ZeroGrad, () => parameters[0].ZeroGrad() })
        {
            model.Forward(input).Sum().Backward();
            Assert.Contains(flat.Buffer.ToArray(), v => v != 0);
            zeroGrad();
            Assert.Equal(views, parameters.Select(p => p.Grad));
            Assert.All(parameters[0].Grad!.ToArray(), v => Assert.Equal(0f, v));
            model.ZeroGrad();
            Assert.All(flat.Buffer.ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Assigning_a_gradient_takes_the_parameter_out_of_the_buffer()
    {
        var a = Leaf("a", 2);
        var b = Leaf("b", 2);
        var flat = new FlatGradients([a, b]);

        a.Grad = Tensor.FromArray([1, 2]);
        a.ZeroGrad();
        b.ZeroGrad();

        Assert.Null(a.Grad);
        Assert.NotNull(b.Grad);
        Assert.Equal(2, b.Grad!.StorageOffset);
        Assert.Equal(4, flat.Buffer.Length);
    }
}
