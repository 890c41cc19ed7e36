using GradClip.Optim;
using GradClip.Tensors;
using static GradClip.Tests.Optim.OptimTestTensors;

namespace GradClip.Tests.Optim;

public class OptimizerTests
{
    public static TheoryData<string> OptimizerNames => [nameof(Sgd), nameof(Adam), nameof(AdamW), nameof(RmsProp)];

    private static Optimizer Create(string name, IEnumerable<Tensor> parameters) => name switch
    {
        nameof(Sgd) => new Sgd(parameters, 0.1, momentum: 0.9, weightDecay: 0.1),
        nameof(Adam) => new Adam(parameters, 0.1, weightDecay: 0.1),
        nameof(AdamW) => new AdamW(parameters, 0.1),
        nameof(RmsProp) => new RmsProp(parameters, 0.1, weightDecay: 0.1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown optimizer."),
    };

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void Parameters_without_a_gradient_are_left_untouched_even_with_weight_decay(string name)
    {
        var withGradient = Parameter(1, 2);
        var withoutGradient = Parameter(3, 4);
        Optimizer optimizer = Create(name, [withGradient, withoutGradient]);

        StepWith(optimizer, withGradient, 1, 1);
        optimizer.Step();

        Assert.Equal([3f, 4], withoutGradient.ToArray());
        Assert.NotEqual([1f, 2], withGradient.ToArray());
    }

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void A_zero_learning_rate_changes_nothing(string name)
    {
        var p = Parameter(1, -2);
        Optimizer optimizer = Create(name, [p]);
        optimizer.LearningRate = 0;

        StepWith(optimizer, p, 5, -5);

        Assert.Equal([1f, -2], p.ToArray());
    }

    [Fact]
    public void ZeroGrad_sets_every_gradient_to_null()
    {
        var a = Parameter(1);
        var b = Parameter(2);
        var sgd = new Sgd([a, b]);
        SetGradient(a, 1);
        SetGradient(b, 2);

        sgd.ZeroGrad();

        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Parameters_are_enumerated_once_and_kept_in_order()
    {
        var a = Parameter(1);
        var b = Parameter(2);
        int enumerations = 0;
        IEnumerable<Tensor> Source()
        {
            enumerations++;
            yield return a;
            yield return b;
        }

        var sgd = new Sgd(Source());
        sgd.Step();
        sgd.ZeroGrad();

        Assert.Equal(1, enumerations);
        Assert.Equal([a, b], sgd.Parameters);
    }

    [Fact]
    public void An_empty_parameter_list_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sgd([]));

        Assert.Equal("parameters", ex.ParamName);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void A_null_parameter_is_rejected_by_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sgd([Parameter(1), null!]));

        Assert.Equal("parameters", ex.ParamName);
        Assert.Contains("Parameter 1", ex.Message);
    }

    [Fact]
    public void A_parameter_given_twice_is_rejected_by_name()
    {
        var p = Parameter(1);
        p.Name = "layer.weight";

        var ex = Assert.Throws<ArgumentException>(() => new Sgd([p, Parameter(2), p]));

        Assert.Contains("layer.weight", ex.Message);
        Assert.Contains("Parameter 2", ex.Message);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Setting_a_negative_or_NaN_learning_rate_throws_and_keeps_the_old_one(double learningRate)
    {
        var sgd = new Sgd([Parameter(1)], 0.1);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = learningRate);

        Assert.Equal(learningRate, (double)ex.ActualValue!);
        Assert.Equal(0.1, sgd.LearningRate);
    }

    [Fact]
    public void A_changed_learning_rate_applies_from_the_next_step()
    {
        var p = Parameter(1);
        var sgd = new Sgd([p], 0.1);

        StepWith(sgd, p, 1);
        sgd.LearningRate = 0.5;
        StepWith(sgd, p, 1);

        AssertClose(1 - 0.1 - 0.5, p[0]);
    }

    [Fact]
    public void Asking_for_the_state_of_a_foreign_tensor_names_it()
    {
        var sgd = new Sgd([Parameter(1)]);
        var stranger = Parameter(1);
        stranger.Name = "other.bias";

        var ex = Assert.Throws<ArgumentException>(() => sgd.StateOf(stranger));

        Assert.Contains("other.bias", ex.Message);
    }
}
