using System.Text;
using GradClip.Data;

namespace GradClip.Tests.Fuzz;

public class CsvDataLoaderFuzzTests
{
    private static readonly byte[] Seed = Encoding.UTF8.GetBytes(
        "id,\"size, cm\",colour,label\n1,2.5,-3e-2,a\r\n2,\"4\",1e3,b\n\n3, 0.5 ,7,a\n4,1,2,\"b\"\n");

    private static void Read(byte[] input)
    {
        var data = CsvDataLoader.Read(new MemoryStream(input), "fuzz.csv");
        Assert.Equal(data.RowCount * data.FeatureCount, data.Features.Length);
        Assert.True(data.RowCount >= 1);
    }

    [Fact]
    public void The_seed_file_is_valid_so_mutations_start_from_a_real_dataset()
    {
        var data = CsvDataLoader.Read(new MemoryStream(Seed), "seed.csv");

        Assert.Equal(4, data.RowCount);
        Assert.Equal("id|size, cm|colour", string.Join("|", data.FeatureNames));
    }

    [Fact]
    public void Mutated_files_give_data_or_a_DataFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<DataFormatException>(Mutations.Of(Seed, Mutations.CsvTokens), Read);

    [Fact]
    public void Random_bytes_give_data_or_a_DataFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<DataFormatException>(Mutations.RandomBytes, Read);
}
