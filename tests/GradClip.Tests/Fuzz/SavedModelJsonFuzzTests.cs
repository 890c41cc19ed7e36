using System.Text;
using GradClip.Data;
using GradClip.Training;

namespace GradClip.Tests.Fuzz;

public class SavedModelJsonFuzzTests
{
    private static readonly byte[] Seed = Encoding.UTF8.GetBytes(
        """
        {"format":"gradclip-mlp","version":1,"task":"classification","layers":[2,4,3],"activation":"relu",
         "features":["a","b"],"target":"kind","classes":["cat","dog","eel"],
         "standardizer":{"means":[1.5,-2],"std":[2,0]},"options":{"lr":"0.003","seed":"0"}}
        """);

    private static void Read(byte[] input)
    {
        var model = SavedModelJson.Parse(Encoding.UTF8.GetString(input), "fuzz/model.json");
        Assert.Equal(model.Architecture.Inputs, model.FeatureNames.Count);
    }

    [Fact]
    public void The_seed_description_is_valid_so_mutations_start_from_a_real_model() =>
        Assert.Equal("2-4-3", SavedModelJson.Parse(Encoding.UTF8.GetString(Seed), "seed/model.json").Architecture.Describe());

    [Fact]
    public void Mutated_descriptions_give_a_model_or_a_ModelFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<ModelFormatException>(Mutations.Of(Seed, Mutations.JsonTokens), Read);

    [Fact]
    public void Random_bytes_give_a_model_or_a_ModelFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<ModelFormatException>(Mutations.RandomBytes, Read);

    [Theory]
    [InlineData("act\\ud800ivation")]
    [InlineData("\\udfff")]
    public void Found_by_fuzzing_an_escaped_lone_surrogate_is_a_format_error_not_an_InvalidOperationException(string damage)
    {
        string text = Encoding.UTF8.GetString(Seed).Replace("activation", damage, StringComparison.Ordinal);

        var error = Assert.Throws<ModelFormatException>(() => SavedModelJson.Parse(text, "lone/model.json"));

        Assert.Contains("not valid text", error.Message);
    }

    [Fact]
    public void Found_by_fuzzing_an_option_named_twice_is_a_format_error_not_an_ArgumentException()
    {
        string text = Encoding.UTF8.GetString(Seed).Replace("\"seed\":\"0\"", "\"lr\":\"0.1\"", StringComparison.Ordinal);

        var error = Assert.Throws<ModelFormatException>(() => SavedModelJson.Parse(text, "twice/model.json"));

        Assert.Contains("option 'lr' appears twice", error.Message);
    }
}
