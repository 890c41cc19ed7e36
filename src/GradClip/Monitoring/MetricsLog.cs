using System.Text;
using GradClip.Serialization;

namespace GradClip.Monitoring;

/// <summary>
/// A run's <see cref="MetricsFiles"/> written as append-only logs: each record is appended once and handed to the OS as it
/// is written, never rewritten. <see cref="Sync"/> flushes them to disk and gives the byte offsets a checkpoint covers;
/// a resumed run opens them at those offsets, cutting off what was appended after its checkpoint.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _csv;
    private readonly FileStream _epochs;
    private readonly FileStream _steps;
    private int _epochsWritten;
    private int _stepsWritten;

    private MetricsLog(FileStream csv, FileStream epochs, FileStream steps, int epochsWritten, int stepsWritten)
    {
        _csv = csv;
        _epochs = epochs;
        _steps = steps;
        _epochsWritten = epochsWritten;
        _stepsWritten = stepsWritten;
    }

    /// <summary>Starts empty logs in <paramref name="folder"/>, replacing any there; the CSV header comes with the first epoch, which names the task's metrics.</summary>
    /// <exception cref="InvalidDataException">A log's name is taken by something other than a regular file (a FIFO, a device).</exception>
    public static MetricsLog Create(string folder) => Open(folder, name => 0, 0, 0);

    /// <summary>
    /// Opens the logs in <paramref name="folder"/> to continue after a checkpoint that covers <paramref name="offsets"/>
    /// bytes of each and holds <paramref name="epochs"/> epochs and <paramref name="steps"/> steps; whatever follows the
    /// offsets (appended after that checkpoint) is cut off.
    /// </summary>
    /// <exception cref="InvalidDataException">An offset is missing, a log is shorter than its offset, or a log is not a regular file.</exception>
    public static MetricsLog Resume(string folder, IReadOnlyDictionary<string, long> offsets, int epochs, int steps)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        return Open(folder, name => offsets.TryGetValue(name, out long offset) ? offset
            : throw new InvalidDataException($"the checkpoint records no offset for '{Path.Combine(folder, name)}'."), epochs, steps);
    }

    /// <summary>Appends the records past those already written (the lists only grow) and hands them to the OS.</summary>
    public void Append(IReadOnlyList<EpochSummary> epochs, IReadOnlyList<StepRecord> steps)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(steps);
        var text = new StringBuilder();
        for (; _stepsWritten < steps.Count; _stepsWritten++)
        {
            text.Append(MetricsFiles.StepJson(steps[_stepsWritten])).Append('\n');
        }
        Write(_steps, text.ToString());
        text.Clear();
        var csv = new StringBuilder(_epochsWritten == 0 && epochs.Count > 0 ? MetricsFiles.CsvHeader(epochs[0]) : "");
        for (; _epochsWritten < epochs.Count; _epochsWritten++)
        {
            text.Append(MetricsFiles.EpochJson(epochs[_epochsWritten])).Append('\n');
            csv.Append(MetricsFiles.EpochCsv(epochs[_epochsWritten]));
        }
        Write(_epochs, text.ToString());
        Write(_csv, csv.ToString());
    }

    /// <summary>Flushes the logs to disk; returns each log's length, by file name, for a checkpoint to record.</summary>
    public IReadOnlyDictionary<string, long> Sync()
    {
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, stream) in Logs())
        {
            stream.Flush(flushToDisk: true);
            offsets[name] = stream.Length;
        }
        return offsets;
    }

    /// <summary>Closes the logs.</summary>
    public void Dispose()
    {
        foreach (var (_, stream) in Logs())
        {
            stream.Dispose();
        }
    }

    private (string Name, FileStream Stream)[] Logs() =>
        [(MetricsFiles.EpochsCsvFile, _csv), (MetricsFiles.EpochsFile, _epochs), (MetricsFiles.StepsFile, _steps)];

    private static MetricsLog Open(string folder, Func<string, long> offset, int epochs, int steps)
    {
        var opened = new List<FileStream>();
        try
        {
            foreach (string name in new[] { MetricsFiles.EpochsCsvFile, MetricsFiles.EpochsFile, MetricsFiles.StepsFile })
            {
                opened.Add(OpenAt(Path.Combine(folder, name), offset(name)));
            }
            return new MetricsLog(opened[0], opened[1], opened[2], epochs, steps);
        }
        catch
        {
            opened.ForEach(s => s.Dispose());
            throw;
        }
    }

    private static FileStream OpenAt(string path, long offset)
    {
        // Opening a FIFO to write waits for a reader, forever; a device would take the records and keep none.
        if (PosixFiles.NonRegularKind(path) is { } kind)
        {
            throw new InvalidDataException($"'{path}' is {kind}, not a regular file.");
        }
        // A resumed log is cut back and appended to in place: through a link that would rewrite a file outside the run.
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new InvalidDataException($"'{path}' is a symbolic link; a run's logs must be files of its own.");
        }
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, 1 << 16);
        if (stream.Length < offset)
        {
            long length = stream.Length;
            stream.Dispose();
            throw new InvalidDataException($"'{path}' holds {length} bytes, fewer than the {offset} its checkpoint covers: the log was cut short.");
        }
        stream.SetLength(offset);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    private void Write(FileStream stream, string text)
    {
        if (text.Length > 0)
        {
            stream.Write(s_utf8.GetBytes(text));
            stream.Flush();
        }
    }
}
