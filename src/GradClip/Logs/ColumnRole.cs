namespace GradClip.Logs;

/// <summary>What a column (or JSON key) of a log holds.</summary>
internal enum ColumnRole
{
    /// <summary>Nothing the diagnosis reads (run time, throughput, test figures).</summary>
    None,

    /// <summary>The optimizer step.</summary>
    Step,

    /// <summary>The epoch.</summary>
    Epoch,

    /// <summary>The training loss of a step (or of a logging interval).</summary>
    Loss,

    /// <summary>The total gradient norm before clipping.</summary>
    NormBefore,

    /// <summary>The total gradient norm after clipping.</summary>
    NormAfter,

    /// <summary>The learning rate.</summary>
    LearningRate,

    /// <summary>A layer's (parameter's) gradient norm.</summary>
    LayerNorm,

    /// <summary>The training loss averaged over an epoch.</summary>
    EpochLoss,

    /// <summary>The validation loss.</summary>
    ValLoss,

    /// <summary>The validation accuracy.</summary>
    ValAccuracy,

    /// <summary>Another epoch-level figure (training accuracy, a validation metric).</summary>
    Metric,
}
