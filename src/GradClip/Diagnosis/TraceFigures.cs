using GradClip.Monitoring;

namespace GradClip.Diagnosis;

/// <summary>Figures of a run trace that several verdicts read: finite series, clipping decisions, loss levels, spikes.</summary>
internal sealed class TraceFigures
{
    /// <summary>How many earlier rows a spike is compared against.</summary>
    public const int Window = 20;

    public TraceFigures(RunTrace trace)
    {
        Trace = trace;
        LossRows = FiniteRows(trace.Loss);
        NormRows = FiniteRows(trace.NormBefore);
        ClippedRows = ClippingDecisions(trace);
        Warmup = Math.Max(1, trace.Count / 10);
    }

    public RunTrace Trace { get; }

    /// <summary>The rows with a finite logged loss, with it.</summary>
    public (int Row, double Value)[] LossRows { get; }

    /// <summary>The rows with a finite logged gradient norm before clipping, with it.</summary>
    public (int Row, double Value)[] NormRows { get; }

    /// <summary>Each row's clipping decision, or null for every row when the trace cannot tell.</summary>
    public bool?[] ClippedRows { get; }

    /// <summary>The first rows, left out of judgements about steady training (the first tenth).</summary>
    public int Warmup { get; }

    public int Step(int row) => Trace.Steps[row];

    /// <summary>Whether the log holds fewer rows than the run took steps: what happened between logged steps is unseen.</summary>
    public bool Sparse => Trace.TotalSteps > Trace.Count;

    /// <summary>How many steps each logged loss averages over: the mean logging interval for a sparse log of interval means, else 1.</summary>
    public double LossInterval => Sparse && Trace.Setup.LossIsIntervalMean ? Trace.TotalSteps / (double)Trace.Count : 1;

    /// <summary>The fraction of known decisions after warm-up that clipped, or null when the trace does not tell.</summary>
    public double? ClipRateAfterWarmup => Rate(ClippedRows.Skip(Warmup));

    /// <summary>The fraction of known decisions that clipped, or null when the trace does not tell.</summary>
    public double? ClipRate => Rate(ClippedRows);

    /// <summary>The median finite norm before clipping.</summary>
    public double MedianNorm => Percentile.Median(NormRows.Select(r => r.Value));

    /// <summary>The median loss of the tenth <paramref name="tenth"/> (0–9) of the finite loss rows.</summary>
    public double LossTenth(int tenth) => LossTenths(tenth, tenth + 1);

    /// <summary>The median loss of the tenths from <paramref name="from"/> up to <paramref name="to"/> (exclusive) of the finite loss rows.</summary>
    public double LossTenths(int from, int to)
    {
        int n = LossRows.Length;
        int start = n * from / 10, end = Math.Max(start + 1, n * to / 10);
        return Percentile.Median(LossRows.Take(end).Skip(start).Select(r => r.Value));
    }

    /// <summary>
    /// The untrained model's loss level: the first finite loss (later ones already follow updates, which at a learning
    /// rate far too high have blown the loss up within a few steps).
    /// </summary>
    public double InitialLoss => LossRows.Length == 0 ? double.NaN : LossRows[0].Value;

    /// <summary>Whether the last tenth's loss is above nine tenths of the first tenth's: the loss did not fall.</summary>
    public bool LossStalled => LossRows.Length >= 10 && LossTenth(9) > 0.9 * LossTenth(0);

    /// <summary>
    /// Whether the loss was still falling steadily when the run ended: it fell by a tenth or more, and from the sixth and
    /// seventh tenths to the last it removed more than a quarter of all it removed and a twentieth of its starting level
    /// (a run that fell well levels off).
    /// </summary>
    public bool LossStillFalling
    {
        get
        {
            if (LossRows.Length < 10)
            {
                return false;
            }
            double start = LossTenth(0), total = start - LossTenth(9);
            double lateDrop = LossTenths(5, 7) - LossTenth(9);
            return total > 0.1 * start && lateDrop > 0.25 * total && lateDrop > 0.05 * start;
        }
    }

    /// <summary>
    /// Whether the loss fell well: the last tenth at most half the first, and either levelled off or down by an order of
    /// magnitude.
    /// </summary>
    public bool LossFellWell => LossRows.Length >= 10 && LossTenth(9) <= 0.5 * LossTenth(0) && (!LossStillFalling || LossTenth(9) <= 0.1 * LossTenth(0));

    /// <summary>
    /// The loss row after warm-up that is the median of the highest five-row window: the peak the loss held, not one
    /// batch's (the median of five is one of them, so the figure is a logged loss).
    /// </summary>
    public (int Row, double Value) SustainedLossPeak()
    {
        var best = (Row: -1, Value: double.NegativeInfinity, Level: double.NegativeInfinity);
        var window = new double[5];
        int first = Math.Max(2, Array.FindIndex(LossRows, r => r.Row >= Warmup));
        for (int i = first; i + 2 < LossRows.Length; i++)
        {
            for (int k = 0; k < 5; k++)
            {
                window[k] = LossRows[i - 2 + k].Value;
            }
            double level = SortedMedian(window);
            if (level > best.Level)
            {
                int median = Enumerable.Range(i - 2, 5).First(r => LossRows[r].Value == level);
                best = (LossRows[median].Row, level, level);
            }
        }
        return best.Row < 0 ? LossRows[^1] : (best.Row, best.Value);
    }

    /// <summary>
    /// Rows of <paramref name="series"/> whose value exceeds <paramref name="factor"/> times the median of the
    /// <see cref="Window"/> rows before them and stands out from their spread (more than six median absolute deviations).
    /// </summary>
    public List<Spike> Spikes((int Row, double Value)[] series, double factor)
    {
        var spikes = new List<Spike>();
        var window = new double[Window];
        for (int i = 5; i < series.Length; i++)
        {
            int count = Math.Min(i, Window);
            var recent = window.AsSpan(0, count);
            for (int k = 0; k < count; k++)
            {
                recent[k] = series[i - count + k].Value;
            }
            double median = SortedMedian(recent);
            for (int k = 0; k < count; k++)
            {
                recent[k] = Math.Abs(recent[k] - median);
            }
            double spread = SortedMedian(recent);
            double v = series[i].Value;
            if (median > 0 && v > factor * median && v - median > 6 * spread)
            {
                spikes.Add(new Spike(i, series[i].Row, v, median));
            }
        }
        return spikes;
    }

    /// <summary>The median of the values (sorting them in place).</summary>
    public static double SortedMedian(Span<double> values)
    {
        values.Sort();
        int n = values.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double? Rate(IEnumerable<bool?> decisions)
    {
        int known = 0, clipped = 0;
        foreach (var d in decisions)
        {
            if (d is { } c)
            {
                known++;
                clipped += c ? 1 : 0;
            }
        }
        return known == 0 ? null : clipped / (double)known;
    }

    private static (int Row, double Value)[] FiniteRows(TraceColumn column) =>
        [.. column.Logged().Where(r => double.IsFinite(r.Value))];

    /// <summary>
    /// Clipping decisions from the logged flag, else from a norm after below the norm before, else (clipping by norm at a
    /// known threshold) from a norm before above max_norm.
    /// </summary>
    private static bool?[] ClippingDecisions(RunTrace trace)
    {
        var decisions = new bool?[trace.Count];
        if (trace.Setup.Clipping == ClippingKind.None)
        {
            Array.Fill(decisions, false);
            return decisions;
        }
        double? maxNorm = trace.Setup.Clipping == ClippingKind.Norm ? trace.Setup.MaxNorm : null;
        for (int row = 0; row < trace.Count; row++)
        {
            decisions[row] = trace.Clipped[row] is { } flag ? flag != 0
                : trace.NormAfter[row] is { } after && trace.NormBefore[row] is { } before && double.IsFinite(after) && double.IsFinite(before)
                    ? after < before * (1 - 1e-6)
                : maxNorm is { } m && trace.NormBefore[row] is { } b && double.IsFinite(b) ? b > m
                : null;
        }
        return decisions;
    }
}
