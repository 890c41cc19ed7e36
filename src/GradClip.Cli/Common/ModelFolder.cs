using System.CommandLine;
using GradClip.Nn;
using GradClip.Tensors;
using GradClip.Training;

namespace GradClip.Cli.Common;

/// <summary>Reads the model that <c>gradclip train</c> saved in a folder named by <c>--model</c>.</summary>
public static class ModelFolder
{
    /// <summary>The <c>--model</c> option every command that reads a saved model takes.</summary>
    public static Option<string> Option() =>
        new("--model") { Description = "The output folder of a 'gradclip train' run.", Required = true };

    /// <summary>Loads the model in <paramref name="folder"/>; a missing or corrupt model is a usage error naming <c>--model</c>.</summary>
    public static (SavedModel Model, Module<Tensor, Tensor> Network) Load(string folder)
    {
        try
        {
            return SavedModel.Load(folder);
        }
        catch (ModelFormatException ex)
        {
            throw new UsageException("--model", ex.Message);
        }
    }
}
