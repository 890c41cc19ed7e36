using System.Diagnostics;
using GradClip.Serialization;
using GradClip.Tests.Data;

namespace GradClip.Tests.Serialization;

public sealed class RegularFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_a_regular_file_whole()
    {
        string path = _folder.Write("a.json", "{\"a\": 1}");

        Assert.Equal("{\"a\": 1}"u8.ToArray(), RegularFile.ReadAllBytes(path, 100));
    }

    [Fact]
    public void Refuses_a_file_over_its_cap_naming_both_sizes()
    {
        string path = _folder.Write("big.json", new string('x', 101));

        var error = Assert.Throws<IOException>(() => RegularFile.ReadAllBytes(path, 100));

        Assert.Contains("is 101 bytes, more than such a file can be (100)", error.Message);
    }

    [Fact]
    public async Task Refuses_a_FIFO_at_once_instead_of_waiting_for_a_writer()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string path = Path.Combine(_folder.Path, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
        }

        var read = Task.Run(() => RegularFile.ReadAllBytes(path, 100));

        var error = await Assert.ThrowsAsync<IOException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("is a FIFO (named pipe), not a regular file", error.Message);
    }

    [Fact]
    public void Refuses_a_link_to_a_device_whose_length_reads_zero()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        string link = Path.Combine(_folder.Path, "model.safetensors");
        File.CreateSymbolicLink(link, "/dev/zero");

        var error = Assert.Throws<IOException>(() => RegularFile.ReadAllBytes(link, 1 << 30));

        Assert.Contains("is a character device, not a regular file", error.Message);
    }

    [Fact]
    public void Stops_at_its_cap_on_a_stream_whose_length_reads_zero()
    {
        // /dev/zero itself is refused before opening; a stream that cannot seek stands in for "length 0 but endless".
        using var endless = new BufferedStream(new EndlessStream());

        var error = Assert.Throws<IOException>(() => RegularFile.ReadAtMost(endless, "endless", 1000));

        Assert.Contains("holds more than 1000 bytes", error.Message);
    }

    /// <summary>A stream of zeros without end and without a length, as a device reads.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
