using GradClip.Nn;
using GradClip.Randomness;
using GradClip.Training;

namespace GradClip.Tests.Training;

public class TextSamplerTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.19, 0)]
    [InlineData(0.21, 1)]
    [InlineData(0.69, 1)]
    [InlineData(0.71, 2)]
    [InlineData(0.999999, 2)]
    public void Draws_the_index_whose_running_sum_passes_the_uniform_number(double uniform, int expected)
    {
        Assert.Equal(expected, TextSampler.Draw([0.2f, 0.5f, 0.3f], uniform));
    }

    [Fact]
    public void The_same_generator_state_continues_the_same_way_beyond_the_context()
    {
        var model = new TransformerLanguageModel(6, 4, 8, 2, 1, new Generator(1));

        int[] a = TextSampler.Continue(model, [1, 2], 10, new Generator(5));
        int[] b = TextSampler.Continue(model, [1, 2], 10, new Generator(5));

        Assert.Equal(a, b);
        Assert.Equal(10, a.Length);
        Assert.All(a, id => Assert.InRange(id, 0, 5));
        Assert.NotEqual(a, TextSampler.Continue(model, [1, 2], 10, new Generator(6)));
    }
}
