using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

public class GradientPoolTests
{
    private const int Size = 50_000;

    private static Tensor Leaf(int size, float scale)
    {
        var values = new float[size];
        for (int i = 0; i < size; i++)
        {
            values[i] = scale * MathF.Sin(i);
        }
        var t = Tensor.FromArray(values);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>A chain of ops whose intermediate gradients are each as large as the input, with a residual sum.</summary>
    private static Tensor Loss(Tensor x, Tensor w)
    {
        Tensor h = (x * w).Tanh();
        Tensor r = h + (h * h).Tanh() + x;
        return (r * r).Sum();
    }

    [Fact]
    public void A_second_backward_pass_gives_the_first_ones_gradients_bit_for_bit()
    {
        Tensor x = Leaf(Size, 0.5f);
        Tensor w = Leaf(Size, 2f);
        Loss(x, w).Backward();
        float[] first = w.Grad!.ToArray();
        float[] firstX = x.Grad!.ToArray();

        for (int step = 0; step < 3; step++)
        {
            x.ZeroGrad();
            w.ZeroGrad();
            Loss(x, w).Backward();
            Assert.Equal(first, w.Grad!.ToArray());
            Assert.Equal(firstX, x.Grad!.ToArray());
        }
    }

    [Fact]
    public void A_gradient_the_caller_kept_is_not_reused_by_later_passes()
    {
        Tensor x = Leaf(Size, 0.5f);
        Tensor w = Leaf(Size, 2f);
        Loss(x, w).Backward();
        Tensor kept = w.Grad!;
        float[] values = kept.ToArray();

        for (int step = 0; step < 3; step++)
        {
            w.ZeroGrad();
            x.ZeroGrad();
            Loss(x * 1.5f, w).Backward();
        }

        Assert.Equal(values, kept.ToArray());
        Assert.NotSame(kept, w.Grad);
    }

    [Fact]
    public void Values_held_across_passes_are_untouched()
    {
        Tensor x = Leaf(Size, 0.5f);
        Tensor w = Leaf(Size, 2f);
        Tensor loss = Loss(x, w);
        Tensor hidden = (x * w).Tanh();
        float[] hiddenValues = hidden.ToArray();
        loss.Backward();
        float lossValue = loss.Item();

        for (int step = 0; step < 3; step++)
        {
            Loss(x, w).Backward();
        }

        Assert.Equal(lossValue, loss.Item());
        Assert.Equal(hiddenValues, hidden.ToArray());
    }

    [Fact]
    public void A_steady_state_backward_pass_allocates_only_the_leaves_gradients()
    {
        Tensor x = Leaf(Size, 0.5f);
        Tensor w = Leaf(Size, 2f);
        for (int step = 0; step < 2; step++)
        {
            x.ZeroGrad();
            w.ZeroGrad();
            Loss(x, w).Backward();
        }
        x.ZeroGrad();
        w.ZeroGrad();
        Tensor loss = Loss(x, w);

        long before = GC.GetAllocatedBytesForCurrentThread();
        loss.Backward();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Two leaf gradients of Size floats escape to the caller; the dozen intermediate ones of the same size come back
        // from the pool (without it the pass allocates about 14 · Size · 4 bytes).
        Assert.InRange(allocated, 2L * Size * sizeof(float), 3L * Size * sizeof(float));
    }

    [Fact]
    public void A_leafs_gradient_that_is_a_slice_of_a_larger_array_is_copied_rather_than_keeping_the_whole_array()
    {
        // Cat's backward hands each input a view into one shared gradient array.
        Tensor x = GradCheck.Uniform(1, -1, 1, 1, 8192);
        x.RequiresGrad = true;
        Tensor w = GradCheck.Uniform(2, -1, 1, 3, 8192);
        w.RequiresGrad = true;

        Tensor.Cat([x, w.Tanh()], 0).Pow(2).Sum().Backward();

        Assert.Equal(x.Grad!.Count, x.Grad.Storage.Length);
        Assert.Equal(x.Span.ToArray().Select(v => 2 * v), x.Grad.Span.ToArray());
    }
}
