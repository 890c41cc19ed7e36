namespace GradClip.Metrics;

/// <summary>Classification figures from predicted and true class indices: accuracy, macro F1 and the confusion matrix (as scikit-learn defines them).</summary>
public static class ClassificationScores
{
    /// <summary>The fraction of rows whose prediction is their label; NaN for no rows.</summary>
    public static double Accuracy(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels)
    {
        RequireSameLength(predicted, labels);
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return labels.IsEmpty ? double.NaN : correct / (double)labels.Length;
    }

    /// <summary>
    /// Counts by true class (row) and predicted class (column) of <paramref name="classes"/> classes, as scikit-learn's
    /// <c>confusion_matrix</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A label or prediction is outside 0 … classes − 1.</exception>
    public static long[,] ConfusionMatrix(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels, int classes)
    {
        RequireSameLength(predicted, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var counts = new long[classes, classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Row {i} has label {labels[i]} and prediction {predicted[i]}, but there are {classes} classes.");
            }
            counts[labels[i], predicted[i]]++;
        }
        return counts;
    }

    /// <summary>
    /// The unweighted mean of each class's F1 = 2·TP / (2·TP + FP + FN) over the classes that occur as a label or a
    /// prediction (scikit-learn's <c>f1_score(average="macro")</c> over the labels present); NaN for no rows.
    /// </summary>
    public static double MacroF1(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels, int classes) =>
        MacroF1(ConfusionMatrix(predicted, labels, classes));

    /// <summary>The macro F1 of a confusion matrix (true class by row, predicted by column); NaN when it counts no rows.</summary>
    public static double MacroF1(long[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int classes = confusion.GetLength(0);
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++)
        {
            long truePositive = confusion[c, c];
            long actual = 0, predictedAs = 0;
            for (int k = 0; k < classes; k++)
            {
                actual += confusion[c, k];
                predictedAs += confusion[k, c];
            }
            if (actual + predictedAs == 0)
            {
                continue;
            }
            present++;
            sum += 2.0 * truePositive / (actual + predictedAs);
        }
        return present == 0 ? double.NaN : sum / present;
    }

    private static void RequireSameLength(ReadOnlySpan<int> predicted, ReadOnlySpan<int> labels)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException($"predicted has {predicted.Length} rows but labels has {labels.Length}.", nameof(predicted));
        }
    }
}
