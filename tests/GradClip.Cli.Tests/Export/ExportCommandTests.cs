using GradClip.Cli.Common;
using GradClip.Cli.Predict;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Training;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GradClip.Cli.Tests.Export;

public sealed class ExportCommandTests(TrainedModels models) : IClassFixture<TrainedModels>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gradclip-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Flat(string output) => string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private string Export(string model)
    {
        string path = Path.Combine(_folder, $"{Path.GetFileName(model)}.onnx");
        var (exitCode, output) = CliRunner.Run("export", "--model", model, "--onnx", path);
        Assert.True(exitCode == ExitCodes.Success, output);
        return path;
    }

    /// <summary>What <c>gradclip predict</c> computes for the rows, and what ONNX Runtime computes with the exported file.</summary>
    private static (Predictions Predict, float[] Onnx, int[] OnnxShape) Both(string model, string onnx, float[] features, string outputName)
    {
        var (saved, network) = ModelFolder.Load(model);
        var predict = Predictions.Of(saved, network, features, features.Length / saved.FeatureNames.Count, "--input");
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(features, [predict.Rows, saved.FeatureNames.Count]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("features", input)]);
        var output = results.Single(r => r.Name == outputName).AsTensor<float>();
        return (predict, output.ToArray(), output.Dimensions.ToArray());
    }

    [Fact]
    public void ONNX_Runtime_gives_predict_s_class_probabilities_for_raw_rows_of_the_exported_classifier()
    {
        string onnx = Export(models.Classifier);
        // 300 rows the model never saw, raw as a user would pass them: the standardization is part of the graph.
        float[] features = [.. BuiltInData.Shells(seed: 7).Features.Take(300 * BuiltInData.FeatureCount)];

        var (predict, runtime, shape) = Both(models.Classifier, onnx, features, "probabilities");

        Assert.Equal([300, 3], shape);
        Assert.Equal(predict.Values.Length, runtime.Length);
        for (int i = 0; i < runtime.Length; i++)
        {
            Assert.True(Math.Abs(predict.Values[i] - runtime[i]) <= 1e-5, $"value {i}: predict {predict.Values[i]}, ONNX Runtime {runtime[i]}");
        }
        Assert.True(predict.Values.Distinct().Count() > 100, "the probabilities should vary from row to row");
    }

    [Fact]
    public void ONNX_Runtime_gives_predict_s_values_for_the_exported_regression_model_in_the_target_s_units()
    {
        // The model was trained on the standardized target: both predict and the graph take its outputs back to y's units.
        Assert.Contains("\"target_standardizer\":{\"mean\":", File.ReadAllText(Path.Combine(models.Regression, "model.json")));
        string onnx = Export(models.Regression);
        var random = new Random(11);
        float[] features = [.. Enumerable.Range(0, 300 * 3).Select(i => (float)(random.NextDouble() * (i % 3 == 2 ? 100 : 10)))];

        var (predict, runtime, shape) = Both(models.Regression, onnx, features, "values");

        Assert.Equal([300, 1], shape);
        for (int i = 0; i < runtime.Length; i++)
        {
            Assert.True(Math.Abs(predict.Values[i] - runtime[i]) <= 1e-5 * Math.Max(1, Math.Abs(predict.Values[i])),
                $"row {i}: predict {predict.Values[i]}, ONNX Runtime {runtime[i]}");
        }
    }

    [Fact]
    public void ONNX_Runtime_fills_NaN_cells_with_the_training_means_as_predict_does()
    {
        string onnx = Export(models.WithMissing);
        var means = ModelFolder.Load(models.WithMissing).Model.Imputer!.Means.Select(m => (float)m).ToArray();
        var random = new Random(13);
        // 200 rows, each with one to three of its cells missing, then the same rows with the stored means written in by hand.
        float[] gaps = new float[200 * 3];
        for (int i = 0; i < gaps.Length; i++)
        {
            gaps[i] = (i / 3) % 7 == 6 || random.Next(3) == 0 || i % 3 == (i / 3) % 3 ? float.NaN : (float)(random.NextDouble() * 6 - 1);
        }
        float[] filled = [.. gaps.Select((v, i) => float.IsNaN(v) ? means[i % 3] : v)];

        var (predict, runtime, shape) = Both(models.WithMissing, onnx, gaps, "probabilities");
        var (_, runtimeFilled, _) = Both(models.WithMissing, onnx, filled, "probabilities");

        Assert.Equal([200, 3], shape);
        for (int i = 0; i < runtime.Length; i++)
        {
            Assert.True(Math.Abs(predict.Values[i] - runtime[i]) <= 1e-5, $"value {i}: predict {predict.Values[i]}, ONNX Runtime {runtime[i]}");
            Assert.True(Math.Abs(runtimeFilled[i] - runtime[i]) <= 1e-6, $"value {i}: NaN cells {runtime[i]}, means written in {runtimeFilled[i]}");
        }
        Assert.Contains(gaps.Chunk(3), row => row.All(float.IsNaN));
        Assert.True(predict.Values.Distinct().Count() > 50, "the probabilities should vary from row to row");
    }

    [Fact]
    public void Refuses_a_model_whose_description_holds_a_step_the_graph_does_not_account_for()
    {
        string folder = Path.Combine(_folder, "scaled");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(models.Regression, "model.*"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        string description = Path.Combine(folder, SavedModel.DescriptionFile);
        var json = JsonNode.Parse(File.ReadAllText(description))!.AsObject();
        json["target_scaler"] = new JsonObject { ["mean"] = 4.0, ["std"] = 2.5 };
        File.WriteAllText(description, json.ToJsonString());
        string path = Path.Combine(_folder, "scaled.onnx");

        var (exitCode, output) = CliRunner.Run("export", "--model", folder, "--onnx", path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("error: --model:", output, StringComparison.Ordinal);
        Assert.Contains("holds 'target_scaler', which this export does not put into the ONNX graph", Flat(output), StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_same_model_exports_to_the_same_bytes_and_names_its_features_and_classes()
    {
        string first = Export(models.Classifier);
        string second = Path.Combine(_folder, "again.onnx");

        Assert.Equal(ExitCodes.Success, CliRunner.Run("export", "--model", models.Classifier, "--onnx", second).ExitCode);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        using var session = new InferenceSession(first);
        Assert.Equal("gradclip", session.ModelMetadata.ProducerName);
        Assert.Equal("""["f0","f1","f2","f3","f4","f5","f6","f7","f8","f9"]""", session.ModelMetadata.CustomMetadataMap["features"]);
        Assert.Equal("""["class0","class1","class2"]""", session.ModelMetadata.CustomMetadataMap["classes"]);
    }

    [Fact]
    public void Refuses_to_overwrite_an_existing_file_and_leaves_it_as_it_was()
    {
        string path = Path.Combine(_folder, "taken.onnx");
        File.WriteAllText(path, "keep me");

        var (exitCode, output) = CliRunner.Run("export", "--model", models.Classifier, "--onnx", path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--onnx", output, StringComparison.Ordinal);
        Assert.Contains("already exists", output, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public void Refuses_a_sequence_model_clearly_and_writes_nothing()
    {
        string folder = Path.Combine(_folder, "sequence");
        Directory.CreateDirectory(folder);
        var spec = new SequenceSpec(RecurrentCell.Rnn, Steps: 4, StepInputs: 1, Hidden: 3, Outputs: 1);
        new SavedModel(spec, TaskKind.Regression, ["s0", "s1", "s2", "s3"], "y", [], null, new Dictionary<string, string>())
            .Save(folder, spec.Build(seed: 0));
        string path = Path.Combine(_folder, "sequence.onnx");

        var (exitCode, output) = CliRunner.Run("export", "--model", folder, "--onnx", path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("recurrent sequence model", output, StringComparison.Ordinal);
        Assert.Contains("feed-forward models only", output, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Refuses_a_folder_without_a_model_naming_the_option()
    {
        var (exitCode, output) = CliRunner.Run("export", "--model", _folder, "--onnx", Path.Combine(_folder, "none.onnx"));

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("error: --model:", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Refuses_a_destination_in_a_folder_that_does_not_exist()
    {
        string path = Path.Combine(_folder, "missing", "model.onnx");

        var (exitCode, output) = CliRunner.Run("export", "--model", models.Classifier, "--onnx", path);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("error: --onnx: the folder of", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "missing")));
    }
}
