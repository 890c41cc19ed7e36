using GradClip.Optim;
using GradClip.Tensors;

namespace GradClip.Training;

/// <summary>
/// An <see cref="OptimizerState"/> as a checkpoint stores it: the buffers as tensors named <c>{index}.{buffer}</c> with
/// PyTorch's buffer names (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, <c>square_avg</c>, <c>grad_avg</c>,
/// <c>momentum_buffer</c>), and the kind, learning rate and step counts as scalars.
/// </summary>
internal static class OptimizerStateFiles
{
    /// <summary>The buffers of every parameter that has state.</summary>
    public static List<(string Name, Tensor Tensor)> Tensors(OptimizerState state)
    {
        var tensors = new List<(string Name, Tensor Tensor)>();
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            foreach (var (buffer, values) in Buffers(state.Parameters[i]))
            {
                tensors.Add(($"{i}.{buffer}", Tensor.FromArray(values)));
            }
        }
        return tensors;
    }

    /// <summary>The kind (<c>sgd</c>, <c>adam</c>, <c>rmsprop</c>, or <c>none</c> when no parameter has state), learning rate and step counts.</summary>
    public static CheckpointJson.OptimizerScalars Scalars(OptimizerState state)
    {
        var kinds = state.Parameters.OfType<ParameterState>().Select(Kind).Distinct().ToList();
        return new CheckpointJson.OptimizerScalars(kinds.Count == 0 ? "none" : kinds.Single(), state.LearningRate, [.. state.Parameters.Select(StepCount)]);
    }

    /// <summary>Rebuilds the state from its scalars and tensors, or names what is wrong with them.</summary>
    public static OptimizerState Read(CheckpointJson.OptimizerScalars scalars, IReadOnlyList<(string Name, Tensor Tensor)> tensors, string path)
    {
        var byName = tensors.ToDictionary(t => t.Name, t => t.Tensor.ToArray(), StringComparer.Ordinal);
        var states = new ParameterState?[scalars.Steps.Count];
        for (int i = 0; i < states.Length; i++)
        {
            if (scalars.Steps[i] is not { } steps)
            {
                continue;
            }
            float[] Take(string buffer, bool required)
            {
                string name = $"{i}.{buffer}";
                return byName.Remove(name, out var values) ? values
                    : required ? throw new CheckpointFormatException(path, $"has no tensor '{name}', which the state of parameter {i} needs.")
                    : [];
            }
            try
            {
                states[i] = scalars.Kind switch
                {
                    "sgd" => new SgdState(Take("momentum_buffer", required: true)),
                    "adam" => new AdamState(steps, Take("exp_avg", true), Take("exp_avg_sq", true), Take("max_exp_avg_sq", false)),
                    "rmsprop" => new RmsPropState(steps, Take("square_avg", true), Take("grad_avg", false), Take("momentum_buffer", false)),
                    var other => throw new CheckpointFormatException(path,
                        $"the optimizer kind '{other}' has no state for parameter {i}; expected 'sgd', 'adam' or 'rmsprop'."),
                };
            }
            catch (ArgumentException ex)
            {
                throw new CheckpointFormatException(path, $"the state of parameter {i} is inconsistent: {ex.Message}", ex);
            }
        }
        if (byName.Count > 0)
        {
            throw new CheckpointFormatException(path, $"holds tensors no parameter's state uses: {string.Join(", ", byName.Keys.Select(k => $"'{k}'"))}.");
        }
        return new OptimizerState(scalars.LearningRate, states);
    }

    private static string Kind(ParameterState state) => state switch
    {
        SgdState => "sgd",
        AdamState => "adam",
        RmsPropState => "rmsprop",
        _ => throw new ArgumentException($"A checkpoint cannot store a {state.GetType().Name}.", nameof(state)),
    };

    private static int? StepCount(ParameterState? state) => state switch
    {
        null => null,
        AdamState adam => adam.StepCount,
        RmsPropState rms => rms.StepCount,
        _ => 0,
    };

    private static List<(string Buffer, float[] Values)> Buffers(ParameterState? state)
    {
        var buffers = new List<(string Buffer, float[] Values)>();
        switch (state)
        {
            case SgdState sgd:
                buffers.Add(("momentum_buffer", sgd.MomentumBuffer.ToArray()));
                break;
            case AdamState adam:
                buffers.Add(("exp_avg", adam.FirstMoment.ToArray()));
                buffers.Add(("exp_avg_sq", adam.SecondMoment.ToArray()));
                AddPresent(buffers, "max_exp_avg_sq", adam.MaxSecondMoment);
                break;
            case RmsPropState rms:
                buffers.Add(("square_avg", rms.SquareAverage.ToArray()));
                AddPresent(buffers, "grad_avg", rms.GradientAverage);
                AddPresent(buffers, "momentum_buffer", rms.MomentumBuffer);
                break;
        }
        return buffers;
    }

    /// <summary>Adds an optional buffer (AMSGrad's maximum, a centered or momentum buffer) when the state has it.</summary>
    private static void AddPresent(List<(string Buffer, float[] Values)> buffers, string name, ReadOnlySpan<float> values)
    {
        if (!values.IsEmpty)
        {
            buffers.Add((name, values.ToArray()));
        }
    }
}
