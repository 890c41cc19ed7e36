using System.Globalization;
using System.Text;
using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Tensors;

namespace GradClip.Cli.Tests.Predict;

public sealed class PredictCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-predict-").FullName;
    private readonly string _model;

    public PredictCommandTests()
    {
        _model = Path.Combine(_folder, "model");
        Assert.Equal(0, CliRunner.Run("train", "--epochs", "5", "--out", _model).ExitCode);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Cell(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes the built-in data's rows as CSV with the given column order, the class column last.</summary>
    private string BuiltInCsv(IReadOnlyList<int> columnOrder, int rows)
    {
        var data = BuiltInData.Shells(0);
        var text = new StringBuilder(string.Join(",", columnOrder.Select(c => data.FeatureNames[c])) + ",class\n");
        for (int r = 0; r < rows; r++)
        {
            text.AppendJoin(',', columnOrder.Select(c => Cell(data.Features[r * data.FeatureCount + c]))).Append(',').Append(data.ClassNames[data.Labels[r]]).Append('\n');
        }
        string path = Path.Combine(_folder, $"rows-{string.Join("", columnOrder)}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Predicts_the_classes_of_the_training_data_well_and_writes_probabilities_that_sum_to_one()
    {
        var data = BuiltInData.Shells(0);
        string input = BuiltInCsv(Enumerable.Range(0, 10).ToList(), rows: 200);
        string output = Path.Combine(_folder, "predictions.csv");

        var (code, text) = CliRunner.Run("predict", "--model", _model, "--input", input, "--output", output);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("p(class0)", text);
        var lines = File.ReadAllLines(output);
        Assert.Equal("p(class0),p(class1),p(class2),predicted", lines[0]);
        Assert.Equal(201, lines.Length);
        int correct = 0;
        for (int r = 0; r < 200; r++)
        {
            var cells = lines[r + 1].Split(',');
            double sum = cells.Take(3).Sum(c => double.Parse(c, CultureInfo.InvariantCulture));
            Assert.InRange(sum, 0.998, 1.002);
            correct += cells[3] == data.ClassNames[data.Labels[r]] ? 1 : 0;
        }
        Assert.True(correct >= 160, $"{correct} of 200 rows predicted right");
    }

    [Fact]
    public void Columns_are_matched_by_name_whatever_their_order()
    {
        string natural = BuiltInCsv(Enumerable.Range(0, 10).ToList(), rows: 5);
        string shuffled = BuiltInCsv([3, 1, 4, 0, 5, 9, 2, 6, 8, 7], rows: 5);

        var (_, first) = CliRunner.Run("predict", "--model", _model, "--input", natural);
        var (_, second) = CliRunner.Run("predict", "--model", _model, "--input", shuffled);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_single_row_gives_the_same_answer_as_the_file()
    {
        var data = BuiltInData.Shells(0);
        string row = string.Join(",", Enumerable.Range(0, 10).Select(c => Cell(data.Features[c])));
        string input = BuiltInCsv(Enumerable.Range(0, 10).ToList(), rows: 1);

        var (code, fromRow) = CliRunner.Run("predict", "--model", _model, "--row", row);
        var (_, fromFile) = CliRunner.Run("predict", "--model", _model, "--input", input);

        Assert.Equal(0, code);
        Assert.Equal(fromFile, fromRow);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_names_both_counts_and_the_features()
    {
        var (code, text) = CliRunner.Run("predict", "--model", _model, "--row", "1,2,3");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--row: has 3 values, but the model takes 10: f0, f1", text);
    }

    [Fact]
    public void A_file_missing_a_feature_column_names_it()
    {
        string path = Path.Combine(_folder, "short.csv");
        File.WriteAllText(path, "f0,f1\n1,2\n");

        var (code, text) = CliRunner.Run("predict", "--model", _model, "--input", path);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("column 'f2'", text);
    }

    [Fact]
    public void A_bad_cell_names_the_line_and_column()
    {
        string path = Path.Combine(_folder, "bad.csv");
        File.WriteAllText(path, string.Join(",", Enumerable.Range(0, 10).Select(i => $"f{i}")) + "\n" + string.Join(",", Enumerable.Repeat("1", 9)) + ",x\n");

        var (code, text) = CliRunner.Run("predict", "--model", _model, "--input", path);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("line 2, column 'f9'", text);
    }

    [Theory]
    [InlineData(new[] { "--row", "1", "--input", "x.csv" }, "give exactly one of them")]
    [InlineData(new string[0], "give exactly one of them")]
    public void Exactly_one_of_row_and_input_is_required(string[] args, string message)
    {
        var (code, text) = CliRunner.Run(["predict", "--model", _model, .. args]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, text);
    }

    [Fact]
    public void An_output_file_in_a_missing_folder_exits_2_naming_it()
    {
        string output = Path.Combine(_folder, "no-such-folder", "p.csv");

        var (code, text) = CliRunner.Run("predict", "--model", _model, "--row", string.Join(",", Enumerable.Repeat("0", 10)), "--output", output);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--output: the folder", Flat(text));
        Assert.Contains("'p.csv' cannot be written there", Flat(text));
        Assert.DoesNotContain("p(class0)", text);
    }

    [Fact]
    public void An_output_that_is_a_folder_exits_2_before_printing_predictions()
    {
        var (code, text) = CliRunner.Run("predict", "--model", _model, "--row", string.Join(",", Enumerable.Repeat("0", 10)), "--output", _folder);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--output: '{_folder}' is a folder", text);
        Assert.DoesNotContain("p(class0)", text);
    }

    [Fact]
    public void A_failed_write_exits_1_before_printing_predictions_and_names_the_file()
    {
        // A name longer than the file system allows (255 bytes): the folder exists, the write itself fails, root or not.
        string output = Path.Combine(_folder, new string('p', 300) + ".csv");

        var (code, text) = CliRunner.Run("predict", "--model", _model, "--row", string.Join(",", Enumerable.Repeat("0", 10)), "--output", output);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"Could not write '{output}'", text.Replace("\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain("p(class0)", text);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void A_model_with_non_finite_weights_is_refused()
    {
        string broken = Path.Combine(_folder, "broken");
        Directory.CreateDirectory(broken);
        File.Copy(Path.Combine(_model, "model.json"), Path.Combine(broken, "model.json"));
        var weights = GradClip.Serialization.SafeTensors.Read(Path.Combine(_model, "model.safetensors"));
        weights.Tensors[0].Tensor.Span[3] = float.NaN;
        GradClip.Serialization.SafeTensors.Write(Path.Combine(broken, "model.safetensors"), weights.Tensors, weights.Metadata);

        var (code, text) = CliRunner.Run("predict", "--model", broken, "--row", string.Join(",", Enumerable.Repeat("0", 10)));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"tensor '{weights.Tensors[0].Name}' holds NaN or infinite weights", Flat(text));
        Assert.DoesNotContain("NaN NaN", text);
    }

    [Theory]
    [InlineData("1e39", "'1e39', is too large for a 32-bit float")]
    [InlineData("3.4e38", "its values, standardized as in training, overflow a 32-bit float")]
    [InlineData("3e36", "the model's output for it is NaN or infinite")]
    public void Inputs_that_would_give_a_non_finite_prediction_are_refused(string value, string message)
    {
        var (code, text) = CliRunner.Run("predict", "--model", _model, "--row", string.Join(",", Enumerable.Repeat(value, 10)));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, Flat(text));
        Assert.DoesNotContain("p(class0)", text);
    }

    private static string Flat(string output) => string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void A_folder_without_a_model_is_explained()
    {
        var (code, text) = CliRunner.Run("predict", "--model", _folder, "--row", "1");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("output folder of 'gradclip train'", text);
    }
}
