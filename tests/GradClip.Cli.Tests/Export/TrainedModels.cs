using System.Globalization;
using System.Text;

namespace GradClip.Cli.Tests.Export;

/// <summary>Two small models trained once for the export tests: a classifier on the built-in data and a regression on a CSV.</summary>
public sealed class TrainedModels : IDisposable
{
    /// <summary>Trains both models into a temporary folder.</summary>
    public TrainedModels()
    {
        Train("--epochs", "2", "--hidden", "8", "--out", Classifier);
        var rows = new StringBuilder("a,b,c,y\n");
        var random = new Random(5);
        for (int r = 0; r < 200; r++)
        {
            double a = random.NextDouble() * 10, b = random.NextDouble() - 0.5, c = random.NextDouble() * 100;
            rows.Append(CultureInfo.InvariantCulture, $"{a},{b},{c},{a + 3 * b - 0.01 * c}\n");
        }
        string data = Path.Combine(Folder, "regression.csv");
        File.WriteAllText(data, rows.ToString());
        Train("--data", data, "--target", "y", "--epochs", "2", "--hidden", "6,4", "--out", Regression);
    }

    /// <summary>The folder holding everything.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("gradclip-export-").FullName;

    /// <summary>A 10-8-3 classifier of the built-in data's three classes.</summary>
    public string Classifier => Path.Combine(Folder, "classifier");

    /// <summary>A 3-6-4-1 regression model of y from a, b and c.</summary>
    public string Regression => Path.Combine(Folder, "regression");

    /// <summary>Deletes the folder.</summary>
    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static void Train(params string[] arguments)
    {
        var (exitCode, output) = CliRunner.Run(["train", "--no-plots", .. arguments]);
        Assert.True(exitCode == 0, output);
    }
}
