using GradClip.Cli.Common;
using Spectre.Console;

namespace GradClip.Cli.Explain;

/// <summary>Writes a <see cref="ClipComparison"/> as numbered steps and a side-by-side table.</summary>
public static class ExplainReport
{
    /// <summary>Writes the explanation to <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, ClipComparison c)
    {
        var o = c.Options;
        double p = o.NormType;
        double total = c.PyTorch.NormBefore;
        console.MarkupLine($"[bold]Clipping by norm, step by step[/] (norm order {NumberText.NormOrder(p)}, max_norm {Num(o.MaxNorm)})");
        console.WriteLine();
        console.MarkupLine("[bold]1. Measure the norm[/]");
        WriteNorms(console, c);
        console.WriteLine();
        console.MarkupLine("[bold]2. Compare it with max_norm[/]");
        console.MarkupLine(total > o.MaxNorm
            ? $"   {Num(total)} > {Num(o.MaxNorm)}: too large, so every gradient is scaled by one factor."
            : $"   {Num(total)} ≤ {Num(o.MaxNorm)}: nothing to clip; the gradients pass unchanged.");
        console.MarkupLine("   PyTorch:    coefficient = min(1, max_norm / (norm + 1e-6))");
        console.MarkupLine($"{Indent}= min(1, {Num(o.MaxNorm)} / {Esc(NumberText.Precise(total + GradClip.Clip.Epsilon))}) = {Esc(NumberText.Precise(c.PyTorch.Coefficient))}");
        console.MarkupLine("   TensorFlow: scale = clip_norm · min(1/norm, 1/clip_norm)");
        console.MarkupLine($"{Indent}= {Num(o.MaxNorm)} · min(1/{Num(c.TensorFlowNorm)}, 1/{Num(o.MaxNorm)}) = {Esc(NumberText.Precise(c.TensorFlowScale))}");
        if (p != 2)
        {
            console.MarkupLine($"{Indent}(TensorFlow always measures the L2 norm: {Num(c.TensorFlowNorm)})");
        }
        console.WriteLine();
        console.MarkupLine("[bold]3. Scale every gradient by it[/]");
        console.Write(ResultTable(c));
        console.MarkupLine("   PyTorch = clip_grad_norm_, TensorFlow = clip_by_global_norm.");
        console.MarkupLine("   PyTorch's 1e-6 keeps the norm just under max_norm; TensorFlow has none.");
        if (c.ValueClipped is not null)
        {
            console.MarkupLine($"   By value = clip_grad_value_: each element clamped to ±{Num(o.ClipValue!.Value)} on its own;");
            console.MarkupLine("   the direction changes whenever only some elements are clamped.");
        }
    }

    private static void WriteNorms(IAnsiConsole console, ClipComparison c)
    {
        double p = c.Options.NormType;
        var gradients = c.Options.Gradients;
        var tensorNorms = new double[gradients.Count];
        for (int i = 0; i < gradients.Count; i++)
        {
            tensorNorms[i] = c.PyTorch.ParameterNorms[$"g{i + 1}"];
            var values = gradients[i].Select(v => (double)v).ToArray();
            console.MarkupLine($"   {Esc(NormFormula.Symbol($"g{i + 1}", p))} = {Esc(NormFormula.Of(values, p, tensorNorms[i]))}");
        }
        if (gradients.Count > 1)
        {
            console.MarkupLine($"   Global norm over {gradients.Count} tensors, the norm of their norms: " +
                $"{Esc(NormFormula.Of(tensorNorms, p, c.PyTorch.NormBefore))}");
        }
    }

    private static Table ResultTable(ClipComparison c)
    {
        var columns = new List<(string Title, float[][] Values)>
        {
            ("Gradient", c.Options.Gradients.ToArray()),
            ("PyTorch", c.PyTorchClipped),
            (c.Options.NormType == 2 ? "TensorFlow" : "TensorFlow (L2)", c.TensorFlowClipped),
        };
        if (c.ValueClipped is not null)
        {
            columns.Add(($"By value ±{NumberText.Short(c.Options.ClipValue!.Value)}", c.ValueClipped));
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var column in columns)
        {
            table.AddColumn(Esc(column.Title));
        }
        for (int i = 0; i < c.Options.Gradients.Count; i++)
        {
            table.AddRow(columns.Select(col => Esc(List(col.Values[i]))).Prepend($"g{i + 1}").ToArray());
        }
        string normLabel = Esc(NormFormula.Symbol("g", c.Options.NormType));
        table.AddRow(columns.Select(col => $"[bold]{Num(c.NormOf(col.Values))}[/]").Prepend($"[bold]{normLabel}[/]").ToArray());
        return table;
    }

    private const string Indent = "               ";

    private static string List(float[] values) => "[" + string.Join(", ", values.Select(v => NumberText.Short(v))) + "]";

    private static string Num(double value) => Esc(NumberText.Short(value));

    private static string Esc(string text) => Markup.Escape(text);
}
