using System.Globalization;
using System.Text;
using System.Text.Json;
using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Evaluate;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-evaluate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A CSV of y = 1000 + 50a − 30b (a target far from zero, so that its standardization matters) with columns in the order given.</summary>
    private string Regression(string name, int rows, int seed, bool swapped = false)
    {
        var random = new Random(seed);
        var text = new StringBuilder(swapped ? "b,a,y\n" : "a,b,y\n");
        for (int r = 0; r < rows; r++)
        {
            double a = random.NextDouble() * 10, b = random.NextDouble();
            string row = swapped ? string.Create(CultureInfo.InvariantCulture, $"{b},{a}") : string.Create(CultureInfo.InvariantCulture, $"{a},{b}");
            text.Append(row).Append(CultureInfo.InvariantCulture, $",{1000 + 50 * a - 30 * b}\n");
        }
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Regression_figures_match_those_computed_by_hand_from_predict_s_values_in_the_target_s_units()
    {
        string model = Path.Combine(_folder, "model");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--data", Regression("train.csv", 200, 1), "--target", "y", "--epochs", "10", "--out", model).ExitCode);
        string test = Regression("test.csv", 50, 2, swapped: true);
        string predictions = Path.Combine(_folder, "predictions.csv");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("predict", "--model", model, "--input", test, "--output", predictions).ExitCode);

        var (code, output) = CliRunner.Run("evaluate", "--model", model, "--data", test);

        Assert.Equal(ExitCodes.Success, code);
        double[] y = [.. File.ReadLines(test).Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture))];
        double[] predicted = [.. File.ReadLines(predictions).Skip(1).Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture))];
        double mean = y.Average();
        double sse = y.Zip(predicted, (t, p) => (t - p) * (t - p)).Sum();
        var figures = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "evaluation.json"))).RootElement;
        Assert.Equal(50, figures.GetProperty("rows").GetInt32());
        Assert.Equal(y.Zip(predicted, (t, p) => Math.Abs(t - p)).Average(), figures.GetProperty("mae").GetDouble(), 1e-3);
        Assert.Equal(Math.Sqrt(sse / y.Length), figures.GetProperty("rmse").GetDouble(), 1e-3);
        Assert.Equal(1 - sse / y.Sum(t => (t - mean) * (t - mean)), figures.GetProperty("r2").GetDouble(), 1e-5);
        Assert.True(figures.GetProperty("r2").GetDouble() > 0.9, output);
        Assert.Contains("rmse", output);
    }

    [Fact]
    public void Classification_gives_accuracy_macro_f1_and_a_confusion_matrix_that_agree()
    {
        string model = Path.Combine(_folder, "model");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--epochs", "3", "--out", model).ExitCode);
        string data = Path.Combine(_folder, "rows.csv");
        var rows = GradClip.Data.BuiltInData.Shells(1);
        var text = new StringBuilder(string.Join(",", rows.FeatureNames) + ",class\n");
        for (int r = 0; r < 100; r++)
        {
            text.AppendJoin(',', rows.Row(r).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(',').Append(rows.ClassNames[rows.Labels[r]]).Append('\n');
        }
        File.WriteAllText(data, text.ToString());
        string json = Path.Combine(_folder, "figures.json");

        var (code, output) = CliRunner.Run("evaluate", "--model", model, "--data", data, "--out", json);

        Assert.Equal(ExitCodes.Success, code);
        var figures = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var counts = figures.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
        Assert.Equal(100, counts.Sum(r => r.Sum()));
        Assert.Equal(Enumerable.Range(0, 3).Sum(c => counts[c][c]) / 100.0, figures.GetProperty("accuracy").GetDouble(), 12);
        // Macro F1 from the matrix by hand: each class's 2·TP / (row sum + column sum), averaged.
        double f1 = Enumerable.Range(0, 3).Average(c => 2.0 * counts[c][c] / (counts[c].Sum() + counts.Sum(r => r[c])));
        Assert.Equal(f1, figures.GetProperty("macro_f1").GetDouble(), 12);
        Assert.Contains("true \\ predicted", output);
        Assert.False(File.Exists(Path.Combine(model, "evaluation.json")));
        string unknown = Path.Combine(_folder, "unknown.csv");
        string zeros = string.Join(",", Enumerable.Repeat("0", rows.FeatureCount));
        File.WriteAllLines(unknown, [File.ReadLines(data).First(), zeros + ",class9", zeros + ",class0"]);
        var (refused, message) = CliRunner.Run("evaluate", "--model", model, "--data", unknown, "--out", Path.Combine(_folder, "unknown.json"));
        Assert.Equal(ExitCodes.BadInput, refused);
        Assert.Contains("has the class 'class9' in column 'class', which the model never saw", string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(Path.Combine(_folder, "unknown.json")));
    }

    [Fact]
    public void A_file_whose_columns_differ_from_the_model_s_is_refused_naming_them_and_nothing_is_written()
    {
        string model = Path.Combine(_folder, "model");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("train", "--data", Regression("train.csv", 60, 1), "--target", "y", "--epochs", "1", "--out", model).ExitCode);
        string other = Path.Combine(_folder, "other.csv");
        File.WriteAllText(other, "a,c,y\n1,2,3\n4,5,6\n");

        var (code, output) = CliRunner.Run("evaluate", "--model", model, "--data", other);

        Assert.Equal(ExitCodes.BadInput, code);
        string flat = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lacks the model's column(s) b", flat);
        Assert.Contains("the model was not trained on: c", flat);
        Assert.False(File.Exists(Path.Combine(model, "evaluation.json")));
    }
}
