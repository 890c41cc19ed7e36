using GradClip.Cli.Common;

namespace GradClip.Cli.Tests.Explain;

public class ExplainCommandTests
{
    [Fact]
    public void Works_the_seed_example_through_norm_scale_and_clipped_values()
    {
        var (code, output) = CliRunner.Run("explain", "--grad", "3,4,12", "--max-norm", "5");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("√(3² + 4² + 12²) = √169 = 13", output);
        Assert.Contains("13 > 5", output);
        Assert.Contains((5 / (13 + 1e-6)).ToString("G9", System.Globalization.CultureInfo.InvariantCulture), output);
        Assert.Contains((5 / 13.0).ToString("G9", System.Globalization.CultureInfo.InvariantCulture), output);
        Assert.Contains("[1.1538, 1.5385, 4.6154]", output);
    }

    [Fact]
    public void Shows_clipping_by_value_when_asked()
    {
        var (code, output) = CliRunner.Run("explain", "--grad", "3,-4,12", "--max-norm", "5", "--clip-value", "3.5");

        Assert.Equal(0, code);
        Assert.Contains("By value ±3.5", output);
        Assert.Contains("[3, -3.5, 3.5]", output);
    }

    [Fact]
    public void Several_grad_options_make_a_global_norm_across_tensors()
    {
        var (code, output) = CliRunner.Run("explain", "--grad", "3,4", "--grad", "12", "--max-norm", "26");

        Assert.Equal(0, code);
        Assert.Contains("‖g1‖₂ = √(3² + 4²) = √25 = 5", output);
        Assert.Contains("norm of their norms: √(5² + 12²) = √169 = 13", output);
        Assert.Contains("13 ≤ 26: nothing to clip", output);
    }

    [Theory]
    [InlineData("1", "|3| + |4| + |12| = 19")]
    [InlineData("inf", "max(|3|, |4|, |12|) = 12")]
    public void Other_norm_orders_are_worked_through_with_their_formula(string order, string expected)
    {
        var (code, output) = CliRunner.Run("explain", "--grad", "3,4,12", "--max-norm", "5", "--norm-type", order);

        Assert.Equal(0, code);
        Assert.Contains(expected, output);
        Assert.Contains("TensorFlow (L2)", output);
    }

    [Theory]
    [InlineData(new[] { "explain", "--grad", "3,x", "--max-norm", "5" }, "--grad: entry 2 of '3,x', 'x', is not a finite number.")]
    [InlineData(new[] { "explain", "--grad", "3", "--max-norm", "0" }, "--max-norm: must be greater than zero, but was 0.")]
    [InlineData(new[] { "explain", "--grad", "3", "--max-norm", "nan" }, "--max-norm: 'nan' is not a finite number.")]
    [InlineData(new[] { "explain", "--grad", "3", "--max-norm", "1", "--norm-type", "-1" }, "--norm-type: the norm order must be greater than zero")]
    [InlineData(new[] { "explain", "--grad", "3", "--max-norm", "1", "--clip-value", "-2" }, "--clip-value: must be greater than zero, but was -2.")]
    [InlineData(new[] { "explain", "--max-norm", "1" }, "'--grad' is required")]
    [InlineData(new[] { "explain", "--grad", "1", "--max-norm", "1", "--bogus" }, "--bogus")]
    public void Bad_input_exits_2_with_a_message_naming_the_option(string[] args, string message)
    {
        var (code, output) = CliRunner.Run(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, output);
    }
}
