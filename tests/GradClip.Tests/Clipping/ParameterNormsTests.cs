using GradClip.Clipping;
using GradClip.Tensors;

namespace GradClip.Tests.Clipping;

/// <summary>The per-parameter norms of transform reports: right values by label, and one label array shared by successive steps.</summary>
public class ParameterNormsTests
{
    [Fact]
    public void Successive_steps_on_the_same_parameters_share_their_labels_but_not_their_norms()
    {
        var parameters = new List<Tensor> { Reference.Parameter([3, 4], "w"), Reference.Parameter([12], null) };
        var clip = new ClipByGlobalNorm(100);

        var first = clip.Apply(parameters).ParameterNorms;
        parameters[0].Grad = Tensor.FromArray([6f, 8f]);
        var second = clip.Apply(parameters).ParameterNorms;

        Assert.Same(first.Keys, second.Keys);
        Assert.Equal(["w", "#1"], second.Keys);
        Assert.Equal(5, first["w"], 12);
        Assert.Equal(10, second["w"], 12);
        Assert.Equal(12, second["#1"], 12);
    }

    [Fact]
    public void A_renamed_parameter_gets_its_new_label_at_the_next_step()
    {
        var parameters = new List<Tensor> { Reference.Parameter([1], "a"), Reference.Parameter([2], "b") };
        var clip = new ClipByGlobalNorm(100);
        var before = clip.Apply(parameters).ParameterNorms;

        parameters[1].Name = "c";
        var after = clip.Apply(parameters).ParameterNorms;

        Assert.Equal(["a", "b"], before.Keys);
        Assert.Equal(["a", "c"], after.Keys);
        Assert.False(after.ContainsKey("b"));
        Assert.Throws<KeyNotFoundException>(() => after["b"]);
        Assert.True(after.TryGetValue("c", out double norm));
        Assert.Equal(2, norm, 12);
    }

    [Fact]
    public void Two_parameters_under_one_name_are_reported_once_with_the_later_norm()
    {
        var parameters = new List<Tensor> { Reference.Parameter([3], "same"), Reference.Parameter([4], "same"), Reference.Parameter([1], "other") };

        var norms = new ClipByGlobalNorm(100).Apply(parameters).ParameterNorms;

        Assert.Equal(2, norms.Count);
        Assert.Equal(4, norms["same"], 12);
        Assert.Equal(1, norms["other"], 12);
    }

    [Fact]
    public void The_table_enumerates_in_parameter_order_with_every_norm()
    {
        var parameters = new List<Tensor> { Reference.Parameter([1, 1], "z"), Reference.Parameter([0], "a"), Reference.Parameter([2, 0, 0], "m") };

        var norms = new NoClip().Apply(parameters).ParameterNorms;

        Assert.Equal([("z", Math.Round(Math.Sqrt(2), 12)), ("a", 0.0), ("m", 2.0)], norms.Select(p => (p.Key, Math.Round(p.Value, 12))));
        Assert.Equal(norms.Keys.Zip(norms.Values), norms.Select(p => (p.Key, p.Value)));
    }
}
