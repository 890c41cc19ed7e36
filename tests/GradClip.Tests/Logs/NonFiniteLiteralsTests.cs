using System.Text;
using System.Text.Json;
using GradClip.Logs;

namespace GradClip.Tests.Logs;

public sealed class NonFiniteLiteralsTests
{
    [Fact]
    public void Rewrites_bare_literals_into_strings_of_the_same_length_and_remembers_their_values()
    {
        const string text = """{"a": NaN, "b": Infinity, "c": -Infinity, "d": nan, "e": -inf, "f": 1.5, "g": null, "h": true}""";
        byte[] json = Encoding.UTF8.GetBytes(text);
        var literals = new NonFiniteLiterals();

        literals.Quote(json);

        Assert.Equal(text.Length, json.Length);
        Assert.Equal(5, literals.Count);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("a").ValueKind);
        Assert.True(literals.TryGet(text.IndexOf("NaN", StringComparison.Ordinal), out double nan) && double.IsNaN(nan));
        Assert.True(literals.TryGet(text.IndexOf("-Infinity", StringComparison.Ordinal), out double minus) && minus == double.NegativeInfinity);
        Assert.True(literals.TryGet(text.IndexOf(" Infinity", StringComparison.Ordinal) + 1, out double plus) && plus == double.PositiveInfinity);
        Assert.True(literals.TryGet(text.IndexOf("-inf", StringComparison.Ordinal), out double minusInf) && minusInf == double.NegativeInfinity);
        Assert.Equal(1.5, document.RootElement.GetProperty("f").GetDouble());
        Assert.Equal(JsonValueKind.True, document.RootElement.GetProperty("h").ValueKind);
    }

    [Fact]
    public void Leaves_the_words_inside_strings_alone_escaped_quotes_included()
    {
        const string text = """{"note": "loss was NaN \" then Infinity", "nan": 2}""";
        byte[] json = Encoding.UTF8.GetBytes(text);
        var literals = new NonFiniteLiterals();

        literals.Quote(json);

        Assert.Equal(0, literals.Count);
        Assert.Equal(text, Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void Offsets_are_those_of_the_file_when_a_slice_is_given()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"x": NaN}""");
        var literals = new NonFiniteLiterals();

        literals.Quote(json, baseOffset: 1000);

        Assert.True(literals.TryGet(1006, out _));
        Assert.False(literals.TryGet(6, out _));
    }
}
