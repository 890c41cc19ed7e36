using GradClip.Monitoring;

namespace GradClip.Tests.Monitoring;

public sealed class StepHistoryTests
{
    [Fact]
    public void Gives_back_each_step_with_the_figures_norms_and_non_finite_names_it_was_added_with()
    {
        var history = new StepHistory();
        StepRecord[] added =
        [
            Step(1, 1, 0.5, ("fc1.weight", 0.25), ("fc1.bias", 0.125)),
            Step(1, 2, double.NaN) with { Skipped = true, NormBefore = double.NaN, NonFiniteParameters = ["fc1.bias"] },
            Step(2, 3, 0.75, ("fc1.weight", 3), ("fc1.bias", double.PositiveInfinity)) with { Clipped = true, Coefficient = 0.3 },
            Step(2, 4, 0.5, ("fc1.bias", 1), ("fc1.weight", 2)),
        ];

        foreach (var step in added)
        {
            history.Add(step);
        }

        Assert.Equal(added.Length, history.Count);
        for (int i = 0; i < added.Length; i++)
        {
            var back = history[i];
            Assert.Equal(added[i] with { ParameterNorms = back.ParameterNorms, NonFiniteParameters = back.NonFiniteParameters }, back);
            Assert.Equal(added[i].ParameterNorms.ToList(), back.ParameterNorms.ToList());
            Assert.Equal(added[i].NonFiniteParameters, back.NonFiniteParameters);
        }
        Assert.Equal([3, 4], history.From(2).Select(s => s.Step));
        Assert.Throws<ArgumentOutOfRangeException>(() => history[4]);
    }

    private static StepRecord Step(int epoch, int step, double loss, params (string Name, double Norm)[] norms) =>
        new(epoch, step, loss, 1.5, 1.5, 1, false, false, 0.01, norms.ToDictionary(n => n.Name, n => n.Norm), []);
}
