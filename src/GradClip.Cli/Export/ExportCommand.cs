using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using GradClip.Cli.Common;
using GradClip.Data;
using GradClip.Nn;
using GradClip.Serialization;
using GradClip.Training;
using Google.Protobuf;
using Spectre.Console;

namespace GradClip.Cli.Export;

/// <summary><c>gradclip export</c>: a trained feed-forward model as an ONNX file that other runtimes run as <c>predict</c> does.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var model = ModelFolder.Option();
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write; it must not exist yet.", Required = true };
        var command = new Command("export",
            "Write a trained feed-forward model as ONNX: raw feature rows in, missing values (NaN) filled and standardized as in training, class probabilities (or values) out.")
        {
            model, onnx,
        };
        command.SetAction(result =>
        {
            string folder = result.GetValue(model)!, path = result.GetValue(onnx)!;
            CheckDestination(path);
            var (saved, network) = ModelFolder.Load(folder);
            if (saved.Architecture is not MlpSpec || network is not Sequential layers)
            {
                throw new UsageException("--model",
                    $"'{folder}' holds a recurrent sequence model ({saved.Architecture.Describe()}); export writes feed-forward models only.");
            }
            RefuseUnhandledFields(folder);
            AtomicFile.WriteBytes(path, OnnxExport.Build(saved, layers, ProducerVersion()).ToByteArray());
            string output = saved.Task == TaskKind.Classification ? OnnxExport.ProbabilitiesName : OnnxExport.ValuesName;
            console.MarkupLine(Markup.Escape(
                $"ONNX model written to {path}: input '{OnnxExport.InputName}' [rows × {saved.FeatureNames.Count}] raw features, "
                + $"output '{output}' [rows × {saved.Architecture.Outputs}], network {saved.Architecture.Describe()}"
                + (saved.Imputer is null ? "" : ", missing values (NaN) filled with the training means")
                + (saved.Standardizer is null ? "." : ", standardization included.")));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Refuses a destination that exists (nothing is overwritten) or whose folder does not.</summary>
    private static void CheckDestination(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new UsageException("--onnx", $"'{path}' already exists; give a new file name (nothing is overwritten).");
        }
        string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is null || !Directory.Exists(parent))
        {
            throw new UsageException("--onnx", $"the folder of '{path}' does not exist.");
        }
    }

    /// <summary>Refuses a model whose <c>model.json</c> holds a field the graph does not account for: the export would not compute what <c>predict</c> does.</summary>
    private static void RefuseUnhandledFields(string folder)
    {
        string path = Path.Combine(folder, SavedModel.DescriptionFile);
        using var description = JsonDocument.Parse(File.ReadAllBytes(path));
        var unhandled = description.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !OnnxExport.HandledFields.Contains(n)).ToList();
        if (unhandled.Count > 0)
        {
            throw new UsageException("--model",
                $"{path} holds {string.Join(", ", unhandled.Select(n => $"'{n}'"))}, which this export does not put into the ONNX graph; "
                + "the graph would not compute what 'gradclip predict' does, so nothing is written.");
        }
    }

    private static string ProducerVersion() =>
        typeof(ExportCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "";
}
