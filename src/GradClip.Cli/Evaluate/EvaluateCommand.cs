using System.CommandLine;
using System.Globalization;
using GradClip.Cli.Common;
using GradClip.Cli.Report;
using GradClip.Cli.Train;
using GradClip.Data;
using GradClip.Monitoring;
using GradClip.Serialization;
using GradClip.Training;
using Spectre.Console;

namespace GradClip.Cli.Evaluate;

/// <summary><c>gradclip evaluate</c>: a saved model's loss and task metrics on a labelled CSV file, printed and written as JSON (Keras's <c>evaluate</c>).</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var model = ModelFolder.Option();
        var data = new Option<string>("--data") { Description = "CSV file with the model's feature columns and its target column.", Required = true };
        var output = new Option<string?>("--out") { Description = $"Where to write the figures as JSON (default: {RunFiles.EvaluationFile} in the model's folder)." };
        var csv = new CsvFormatOptions();
        var command = new Command("evaluate", "Measure a saved model on a labelled CSV file: its loss and its task's metrics.") { model, data, output };
        foreach (var option in csv.All)
        {
            command.Add(option);
        }
        command.SetAction(result =>
        {
            var problems = new List<string>();
            var options = csv.Read(result, problems);
            if (problems.Count > 0)
            {
                throw new UsageException(problems);
            }
            string folder = result.GetValue(model)!, path = result.GetValue(data)!;
            string outputPath = result.GetValue(output) ?? Path.Combine(folder, RunFiles.EvaluationFile);
            var (saved, network) = ModelFolder.Load(folder);
            var evaluation = Evaluation.Of(saved, network, Load(path, saved, options), path);
            AtomicFile.WriteText(outputPath, Json(saved, path, evaluation) + "\n");
            Write(console, saved, path, evaluation);
            console.MarkupLine($"Written to [bold]{Markup.Escape(outputPath)}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The labelled rows, read with the model's target and task; a model trained with missing values filled reads empty cells as missing.</summary>
    private static TabularData Load(string path, SavedModel model, CsvOptions options)
    {
        try
        {
            return CsvDataLoader.Load(path, model.TargetName, model.Task, model.Imputer is null ? options : options with { Missing = MissingValues.Mean });
        }
        catch (DataFormatException ex)
        {
            throw new UsageException([ex.Message]);
        }
    }

    private static string Json(SavedModel model, string path, Evaluation evaluation) => MetricsFiles.Json(json =>
    {
        json.WriteString("data", path);
        json.WriteNumber("rows", evaluation.Rows);
        json.WriteString("task", TaskName(model));
        MetricsFiles.Number(json, "loss", evaluation.Loss);
        foreach (var (metric, value) in evaluation.Metrics)
        {
            MetricsFiles.Number(json, Evaluation.Key(metric), value);
        }
        if (evaluation.Confusion is not null)
        {
            ConfusionTable.Write(json, evaluation.Confusion);
        }
    });

    private static void Write(IAnsiConsole console, SavedModel model, string path, Evaluation evaluation)
    {
        console.MarkupLine(Markup.Escape($"{model.Architecture.Describe()} {TaskName(model)} model on {evaluation.Rows.ToString(CultureInfo.InvariantCulture)} rows of {path}:"));
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("loss", NumberText.Short(evaluation.Loss));
        foreach (var (metric, value) in evaluation.Metrics)
        {
            table.AddRow(Evaluation.Key(metric), MetricText.Of(metric, value));
        }
        console.Write(table);
        if (evaluation.Confusion is { } confusion)
        {
            var matrix = new Table().Border(TableBorder.Rounded).AddColumn("true \\ predicted");
            foreach (string name in confusion.Classes)
            {
                matrix.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            }
            for (int t = 0; t < confusion.Classes.Count; t++)
            {
                matrix.AddRow([Markup.Escape(confusion.Classes[t]), .. confusion.Counts[t].Select(c => c.ToString(CultureInfo.InvariantCulture))]);
            }
            console.Write(matrix);
        }
    }

    private static string TaskName(SavedModel model) => model.Task == TaskKind.Classification ? "classification" : "regression";
}
