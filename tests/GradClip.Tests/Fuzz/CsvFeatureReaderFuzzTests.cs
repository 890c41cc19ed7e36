using System.Text;
using GradClip.Data;

namespace GradClip.Tests.Fuzz;

public class CsvFeatureReaderFuzzTests
{
    private static readonly byte[] Seed = Encoding.UTF8.GetBytes("id,a,\"b\",y\n1,0.5,-2,cat\r\n2,\"3e1\",4,dog\n\n3,1,-0,eel\n");

    private static readonly string[] Features = ["b", "a"];

    private static void Read(byte[] input)
    {
        var (features, rows) = CsvFeatureReader.Read(new MemoryStream(input), "fuzz.csv", Features);
        Assert.Equal(rows * Features.Length, features.Length);
    }

    [Fact]
    public void The_seed_file_is_valid_so_mutations_start_from_real_rows()
    {
        var (features, rows) = CsvFeatureReader.Read(new MemoryStream(Seed), "seed.csv", Features);

        Assert.Equal(3, rows);
        Assert.Equal([-2f, 0.5f, 4, 30], features[..4]);
    }

    [Fact]
    public void Mutated_files_give_rows_or_a_DataFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<DataFormatException>(Mutations.Of(Seed, Mutations.CsvTokens), Read);

    [Fact]
    public void Random_bytes_give_rows_or_a_DataFormatException_quickly_and_in_bounded_memory() =>
        ReaderProbe.Sample<DataFormatException>(Mutations.RandomBytes, Read);
}
