using GradClip.Cli.Explain;

namespace GradClip.Cli.Tests.Explain;

public class NormFormulaTests
{
    [Fact]
    public void Writes_the_L2_formula_with_negative_values_in_parentheses()
    {
        Assert.Equal("√((-3)² + 4²) = √25 = 5", NormFormula.Of([-3, 4], 2, 5));
    }

    [Fact]
    public void Long_vectors_are_elided_in_the_middle()
    {
        string text = NormFormula.Of([1, 1, 1, 1, 1, 1, 1, 1], 1, 8);

        Assert.Equal("|1| + |1| + |1| + |1| + … + |1| = 8", text);
    }

    [Fact]
    public void A_general_order_shows_the_root()
    {
        double norm = Math.Pow(Math.Pow(3, 3) + Math.Pow(4, 3), 1.0 / 3);

        Assert.Equal($"(|3|^3 + |4|^3)^(1/3) = 91^(1/3) = {norm:0.####}", NormFormula.Of([3, 4], 3, norm));
    }

    [Fact]
    public void A_large_order_whose_power_sum_overflows_is_written_relative_to_the_largest_magnitude()
    {
        double norm = 2e16 * Math.Pow(Math.Pow(0.5, 20) + 1, 1.0 / 20);

        string text = NormFormula.Of([1e16, -2e16], 20, norm);

        Assert.Equal($"(|1e+16|^20 + |-2e+16|^20)^(1/20) = 2e+16 · (0.5^20 + 1^20)^(1/20) = 2e+16 · 1^(1/20) = 2e+16", text);
    }

    [Fact]
    public void Explain_shows_the_true_norm_of_a_large_order_where_the_plain_sum_would_be_infinite()
    {
        var (code, output) = CliRunner.Run("explain", "--grad", "1e16,-2e16,3e15", "--max-norm", "1", "--norm-type", "20");

        Assert.Equal(0, code);
        Assert.Contains("= 2e+16 · (0.5^20 + 1^20 + 0.15^20)^(1/20)", output.Replace("\n", "", StringComparison.Ordinal));
        Assert.DoesNotContain("∞", output);
    }
}
