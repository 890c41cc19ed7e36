using System.Collections.Immutable;
using GradClip.Data;
using GradClip.Metrics;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Tests.Training;

public sealed class EpochEvaluationTests
{
    [Fact]
    public void Classification_reports_accuracy_macro_f1_and_train_accuracy_of_the_model_as_it_is()
    {
        var data = BuiltInData.Shells(0);
        var split = DataSplit.Create(data, 0.2, 0);
        var model = new MlpSpec(data.FeatureCount, [8], data.ClassCount).Build(3);
        var evaluation = new EpochEvaluation(data, split, new TrainingBatches(data, null));

        var (valLoss, metrics) = evaluation.Measure(model, (output, batch) => Tensor.CrossEntropy(output, batch.Labels!));

        Assert.Equal(["val_accuracy", "val_macro_f1", "train_accuracy"], metrics.Select(m => m.Name));
        var (valPredicted, valLabels) = Predict(model, data, split.ValidationRows);
        var (trainPredicted, trainLabels) = Predict(model, data, split.TrainRows);
        Assert.Equal(ClassificationScores.Accuracy(valPredicted, valLabels), metrics[0].Value, 12);
        Assert.Equal(ClassificationScores.MacroF1(valPredicted, valLabels, data.ClassCount), metrics[1].Value, 12);
        Assert.Equal(ClassificationScores.Accuracy(trainPredicted, trainLabels), metrics[2].Value, 12);
        Assert.NotNull(valLoss);
    }

    [Fact]
    public void Regression_rmse_is_the_root_of_the_mean_squared_error_loss()
    {
        float[] x = [.. Enumerable.Range(0, 50).Select(i => i / 50f)];
        var y = Enumerable.Range(0, 50).Select(i => 2f * i / 50 + 1).ToImmutableArray();
        var data = TabularData.ForRegression([.. x], ["x"], y, new DataDescription("y", "test", "given"));
        var split = DataSplit.Create(data, 0.2, 0);
        var model = new MlpSpec(1, [4], 1).Build(0);
        var evaluation = new EpochEvaluation(data, split, new TrainingBatches(data, null));

        var (valLoss, metrics) = evaluation.Measure(model, (output, batch) => Tensor.MseLoss(output, batch.Targets!));

        Assert.Equal(["val_mae", "val_rmse", "val_r2"], metrics.Select(m => m.Name));
        Assert.Equal(Math.Sqrt(valLoss!.Value), metrics[1].Value, 5);
        Assert.True(metrics[0].Value <= metrics[1].Value, "MAE never exceeds RMSE");
    }

    private static (int[] Predicted, int[] Labels) Predict(GradClip.Nn.Module<Tensor, Tensor> model, TabularData data, ImmutableArray<int> rows)
    {
        var features = rows.SelectMany(r => data.Row(r).ToArray()).ToArray();
        using var _ = Tensor.NoGrad();
        model.Eval();
        return (model.Forward(Tensor.FromArray(features, rows.Length, data.FeatureCount)).ArgMax(1), [.. rows.Select(r => data.Labels[r])]);
    }
}
