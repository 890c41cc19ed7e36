using System.Text;
using GradClip.Logs;

namespace GradClip.Tests.Logs;

public sealed class ByteLinesTests
{
    private static List<(int Number, long Offset, string Text)> Lines(byte[] bytes)
    {
        var found = new List<(int, long, string)>();
        using var lines = new ByteLines(new MemoryStream(bytes), "log");
        while (lines.Next(out var line))
        {
            found.Add((lines.LineNumber, lines.Offset, Encoding.UTF8.GetString(line)));
        }
        return found;
    }

    [Fact]
    public void Splits_LF_and_CRLF_lines_skips_a_byte_order_mark_and_keeps_the_file_offsets()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "ab\r\ncd\n\nef"u8];

        var lines = Lines(bytes);

        Assert.Equal([(1, 3L, "ab"), (2, 7L, "cd"), (3, 10L, ""), (4, 11L, "ef")], lines);
    }

    [Fact]
    public void Reads_lines_longer_than_its_buffer_whole()
    {
        string longLine = new('x', 200_000);
        byte[] bytes = Encoding.UTF8.GetBytes("a\n" + longLine + "\nb\n");

        var lines = Lines(bytes);

        Assert.Equal(3, lines.Count);
        Assert.Equal(longLine, lines[1].Text);
        Assert.Equal(2L, lines[1].Offset);
        Assert.Equal((3, 200_003L, "b"), lines[2]);
    }
}
