using GradClip.Metrics;

namespace GradClip.Tests.Metrics;

public sealed class ClassificationScoresTests
{
    // Labels 0 0 1 1 2 2, predicted 0 1 1 1 2 0: worked by hand below.
    private static readonly int[] Labels = [0, 0, 1, 1, 2, 2];
    private static readonly int[] Predicted = [0, 1, 1, 1, 2, 0];

    [Fact]
    public void Accuracy_is_the_share_of_rows_predicted_right()
    {
        Assert.Equal(4 / 6.0, ClassificationScores.Accuracy(Predicted, Labels), 12);
        Assert.True(double.IsNaN(ClassificationScores.Accuracy([], [])));
    }

    [Fact]
    public void The_confusion_matrix_counts_true_classes_by_row_and_predictions_by_column()
    {
        var confusion = ClassificationScores.ConfusionMatrix(Predicted, Labels, 3);

        Assert.Equal(new long[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } }, confusion);
    }

    [Fact]
    public void Macro_f1_is_the_mean_of_each_class_f1_by_hand()
    {
        // Class 0: TP 1, 2 labelled, 2 predicted → 2/4. Class 1: TP 2, 2 labelled, 3 predicted → 4/5. Class 2: TP 1, 2 and 1 → 2/3.
        double expected = (0.5 + 0.8 + 2 / 3.0) / 3;

        Assert.Equal(expected, ClassificationScores.MacroF1(Predicted, Labels, 3), 12);
    }

    [Fact]
    public void Macro_f1_leaves_out_a_class_that_is_neither_a_label_nor_a_prediction()
    {
        Assert.Equal(ClassificationScores.MacroF1(Predicted, Labels, 3), ClassificationScores.MacroF1(Predicted, Labels, 5), 12);
        Assert.Equal(1.0, ClassificationScores.MacroF1([1, 1], [1, 1], 3), 12);
    }

    [Fact]
    public void Refuses_a_class_index_outside_the_classes()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationScores.ConfusionMatrix([0, 3], [0, 1], 3));
        Assert.Contains("Row 1", ex.Message);
        Assert.Throws<ArgumentException>(() => ClassificationScores.Accuracy([0], [0, 1]));
    }
}
