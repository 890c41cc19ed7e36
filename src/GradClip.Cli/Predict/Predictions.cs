using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Cli.Predict;

/// <summary>A model's outputs for some rows: per-class probabilities (softmax of the logits) or regression values.</summary>
/// <param name="Rows">How many rows were predicted.</param>
/// <param name="Values">Row-major: one probability per class, or one value, per row.</param>
/// <param name="Width">Values per row.</param>
public sealed record Predictions(int Rows, float[] Values, int Width)
{
    /// <summary>Runs <paramref name="network"/> on the raw <paramref name="features"/>, standardized as the model was trained; regression values in the target's units.</summary>
    /// <remarks>
    /// Never returns a NaN or infinite prediction: a row whose standardized input or output is not finite is refused with a
    /// <see cref="UsageException"/> naming <paramref name="input"/> and the row.
    /// </remarks>
    public static Predictions Of(SavedModel model, Module<Tensor, Tensor> network, float[] features, int rows, string input)
    {
        network.Eval();
        using var _ = Tensor.NoGrad();
        int width = model.FeatureNames.Count;
        float[] prepared = model.PrepareInputs(features);
        RequireFinite(prepared, width, input, "its values, standardized as in training, overflow a 32-bit float");
        var output = network.Forward(Tensor.FromArray(prepared, rows, width));
        if (model.Task == TaskKind.Classification)
        {
            output = output.Softmax(1);
        }
        float[] values = output.ToArray();
        model.RestoreOutputs(values);
        RequireFinite(values, output.Shape[1], input, "the model's output for it is NaN or infinite (its values are far outside those the model was trained on)");
        return new Predictions(rows, values, output.Shape[1]);
    }

    /// <summary>Refuses the first row of <paramref name="values"/> (rows of <paramref name="width"/>) holding NaN or ∞.</summary>
    private static void RequireFinite(float[] values, int width, string input, string problem)
    {
        int index = Array.FindIndex(values, v => !float.IsFinite(v));
        if (index >= 0)
        {
            throw new UsageException(input, $"row {index / width + 1}: {problem}.");
        }
    }

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Width, Width);

    /// <summary>The index of the largest value of row <paramref name="row"/>: the predicted class.</summary>
    public int Best(int row)
    {
        var values = Row(row);
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
