using GradClip.Data;
using GradClip.Nn;
using GradClip.Training;

namespace GradClip.Cli.Predict;

/// <summary>A model's outputs for some rows: per-class probabilities (softmax of the logits) or regression values.</summary>
/// <param name="Rows">How many rows were predicted.</param>
/// <param name="Values">Row-major: one probability per class, or one value, per row.</param>
/// <param name="Width">Values per row.</param>
public sealed record Predictions(int Rows, float[] Values, int Width)
{
    /// <summary>Runs <paramref name="network"/> on the raw <paramref name="features"/>, standardized as the model was trained.</summary>
    public static Predictions Of(SavedModel model, Module<Tensor, Tensor> network, float[] features, int rows)
    {
        network.Eval();
        using var _ = Tensor.NoGrad();
        var inputs = Tensor.FromArray(model.PrepareInputs(features), rows, model.FeatureNames.Count);
        var output = network.Forward(inputs);
        if (model.Task == TaskKind.Classification)
        {
            output = output.Softmax(1);
        }
        return new Predictions(rows, output.ToArray(), output.Shape[1]);
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
