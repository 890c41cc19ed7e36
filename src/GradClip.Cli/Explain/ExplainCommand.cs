using System.CommandLine;
using GradClip.Cli.Common;
using Spectre.Console;

namespace GradClip.Cli.Explain;

/// <summary><c>gradclip explain</c>: clipping worked through step by step for the numbers the user gives.</summary>
public static class ExplainCommand
{
    /// <summary>Builds the command; its action writes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var grad = new Option<string[]>("--grad")
        {
            Description = "One gradient tensor as comma-separated numbers, e.g. 3,4,12. Repeat for several tensors.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var maxNorm = new Option<string>("--max-norm") { Description = "The clipping threshold (max_norm).", Required = true };
        var normType = new Option<string>("--norm-type")
        {
            Description = "The norm order p: 1, 2, any number > 0, or inf.",
            DefaultValueFactory = _ => "2",
        };
        var clipValue = new Option<string?>("--clip-value") { Description = "Also show clipping by value to [-c, c]." };
        var command = new Command("explain", "Show how clipping by norm (PyTorch and TensorFlow) and by value changes the given gradients.")
        {
            grad, maxNorm, normType, clipValue,
        };
        command.SetAction(result =>
        {
            var options = ExplainOptions.Parse(
                result.GetValue(grad)!, result.GetValue(maxNorm)!, result.GetValue(normType)!, result.GetValue(clipValue));
            ExplainReport.Write(console, ClipComparison.Of(options));
            return ExitCodes.Success;
        });
        return command;
    }
}
