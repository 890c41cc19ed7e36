using GradClip.Autograd;
using GradClip.Tensors;

namespace GradClip.Tests.Autograd;

public class NodeTests
{
    [Fact]
    public void A_broadcast_op_records_the_expansion_as_its_parent()
    {
        var row = Tensor.Zeros(3);
        row.RequiresGrad = true;

        Tensor sum = Tensor.Zeros(2, 3) + row;

        Assert.Equal(Op.Add, sum.GradFn!.Op);
        Tensor expanded = sum.GradFn.Parents[1];
        Assert.Equal([2, 3], expanded.Shape);
        Assert.Equal(Op.Expand, expanded.GradFn!.Op);
        Assert.Same(row, expanded.GradFn.Parents[0]);
        Assert.Equal("AddBackward", sum.GradFn.ToString());
    }

    [Fact]
    public void A_narrow_records_its_source()
    {
        var x = Tensor.Zeros(4, 3);
        x.RequiresGrad = true;

        Tensor slice = x.Narrow(0, 1, 2);

        Assert.Equal(Op.Narrow, slice.GradFn!.Op);
        Assert.Same(x, slice.GradFn.Parents[0]);
    }

    [Fact]
    public void Many_slices_of_one_source_accumulate_into_their_places()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        x.RequiresGrad = true;

        Tensor total = x.Narrow(1, 0, 1) * 1f + x.Narrow(1, 0, 2).Sum(1, keepDim: true) * 10f + x.Narrow(1, 2, 1) * 100f;
        total.Sum().Backward();

        Assert.Equal([11f, 10, 100, 11, 10, 100], x.Grad!.ToArray());
    }
}
