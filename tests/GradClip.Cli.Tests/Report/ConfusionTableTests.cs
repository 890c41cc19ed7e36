using System.Text;
using System.Text.Json;
using GradClip.Cli.Report;
using GradClip.Monitoring;

namespace GradClip.Cli.Tests.Report;

public sealed class ConfusionTableTests
{
    [Fact]
    public void Round_trips_through_json_and_shows_true_classes_down_and_predictions_across()
    {
        var table = ConfusionTable.Of(["cat", "dog"], new long[,] { { 5, 1 }, { 2, 7 } });

        string json = MetricsFiles.Json(writer => ConfusionTable.Write(writer, table));
        var read = ConfusionTable.Read(JsonDocument.Parse(json).RootElement)!;
        var page = new StringBuilder();
        read.Html(page);

        Assert.Equal("""{"confusion_matrix":{"classes":["cat","dog"],"counts":[[5,1],[2,7]]}}""", json);
        Assert.Equal([5L, 1L], read.Counts[0]);
        Assert.Contains("<tr><th>dog</th><td>2</td><td class=\"best\">7</td></tr>", page.ToString());
    }

    [Theory]
    [InlineData("""{"confusion_matrix":{"classes":["a","b"],"counts":[[1,2]]}}""", "should have 2 rows of 2 counts")]
    [InlineData("""{"confusion_matrix":{"classes":["a"],"counts":[[-1]]}}""", "whole numbers of rows")]
    [InlineData("""{"confusion_matrix":[1]}""", "should be an object or null")]
    public void A_malformed_table_is_refused_naming_the_problem(string json, string problem)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ConfusionTable.Read(JsonDocument.Parse(json).RootElement));
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void A_run_without_one_reads_as_none()
    {
        Assert.Null(ConfusionTable.Read(JsonDocument.Parse("""{"confusion_matrix":null}""").RootElement));
        Assert.Null(ConfusionTable.Read(JsonDocument.Parse("{}").RootElement));
    }
}
