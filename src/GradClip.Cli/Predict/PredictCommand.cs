using System.CommandLine;
using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Predict;

/// <summary><c>gradclip predict</c>: class probabilities (or values) for new rows from a model that <c>train</c> saved.</summary>
public static class PredictCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var model = ModelFolder.Option();
        var input = new Option<string?>("--input") { Description = "CSV file with a header naming the model's feature columns (others are ignored)." };
        var row = new Option<string?>("--row") { Description = "One row of feature values, comma-separated, in the model's feature order." };
        var output = new Option<string?>("--output") { Description = "Also write the predictions (or, with --prompt, the text) to this file." };
        var prompt = new Option<string?>("--prompt") { Description = "Text for a language model (--task transformer) to continue, instead of rows; \\n in it stands for a new line." };
        var length = new Option<int>("--length") { Description = "With --prompt: how many characters to generate (1 to 100000).", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "With --prompt: seeds the generator the characters are drawn from.", DefaultValueFactory = _ => 0 };
        var command = new Command("predict", "Predict class probabilities (or values, for regression) for new rows, or continue a prompt with a language model.")
        {
            model, input, row, output, prompt, length, seed,
        };
        command.SetAction(result =>
        {
            string? inputPath = result.GetValue(input), rowText = result.GetValue(row), promptText = result.GetValue(prompt);
            if (new[] { inputPath, rowText, promptText }.Count(v => v is not null) != 1)
            {
                throw new UsageException("--input/--row/--prompt", "give exactly one of them: a CSV file of rows, one row of values, or a prompt for a language model.");
            }
            string? outputPath = result.GetValue(output);
            RequireFilePath(outputPath);
            var (saved, network) = ModelFolder.Load(result.GetValue(model)!);
            if (promptText is not null || network is TransformerLanguageModel)
            {
                return TextContinuation.Run(console, saved, network, promptText, result.GetValue(length), result.GetValue(seed), outputPath);
            }
            var (features, rows) = inputPath is null ? ParseRow(rowText!, saved) : ReadFile(inputPath, saved);
            var predictions = Predictions.Of(saved, network, features, rows, inputPath is null ? "--row" : inputPath);
            // The file first: a write that fails (exit 1, naming the file) leaves no table on screen that looks like success.
            if (outputPath is not null)
            {
                PredictionReport.WriteCsv(outputPath, saved, predictions);
            }
            PredictionReport.Write(console, saved, predictions);
            if (outputPath is not null)
            {
                console.MarkupLine($"Predictions written to [bold]{Markup.Escape(outputPath)}[/].");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Refuses, before any work, an --output that names a folder or lies in a folder that does not exist (exit 2).</summary>
    private static void RequireFilePath(string? path)
    {
        if (path is null)
        {
            return;
        }
        if (Directory.Exists(path))
        {
            throw new UsageException("--output", $"'{path}' is a folder; name a file to write the predictions to.");
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            throw new UsageException("--output", $"the folder '{folder}' does not exist, so '{Path.GetFileName(path)}' cannot be written there.");
        }
    }

    private static (float[] Features, int Rows) ParseRow(string text, SavedModel model)
    {
        var values = NumberText.ParseList(text, "--row");
        if (values.Length != model.FeatureNames.Count)
        {
            throw new UsageException("--row",
                $"has {values.Length} values, but the model takes {model.FeatureNames.Count}: {string.Join(", ", model.FeatureNames)}.");
        }
        return (values, 1);
    }

    private static (float[] Features, int Rows) ReadFile(string path, SavedModel model)
    {
        try
        {
            // A model trained with missing values filled fills them the same way: its empty cells are read as missing.
            return CsvFeatureReader.Load(path, model.FeatureNames, model.Imputer is null ? null : new CsvOptions { Missing = MissingValues.Mean });
        }
        catch (DataFormatException ex)
        {
            throw new UsageException([ex.Message]);
        }
    }
}
