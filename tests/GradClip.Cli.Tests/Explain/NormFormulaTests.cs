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
}
