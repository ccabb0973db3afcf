namespace Serverless.Serving.PredictionLogging;

/// <summary>How predictions are logged (configuration section <c>Serving:PredictionLog</c>).</summary>
/// <remarks>
/// Loss window on a crash: what is buffered and not yet appended to a segment, that is at most <see cref="Capacity"/>
/// entries and at most the predictions of the last <see cref="FlushInterval"/> (plus the time one append takes). A clean
/// shutdown appends everything buffered (within <see cref="ShutdownFlushTimeout"/>).
/// </remarks>
public sealed class PredictionLogOptions
{
    public const string SectionName = "Serving:PredictionLog";

    /// <summary>Blob container of the log's segments (<see cref="PredictionLogSegments"/> names them).</summary>
    public string Container { get; set; } = "predictionlog";

    /// <summary>Table of feedback joined to predictions (PK <c>{model}_{yyyyMMddHH}</c>, RK the prediction id).</summary>
    public string FeedbackTableName { get; set; } = "predictionfeedback";

    /// <summary>Name of this host in segment names (one segment per model, version, hour and writer); default the machine name.</summary>
    public string? WriterId { get; set; }

    /// <summary>Share of predictions logged, 0 to 1.</summary>
    public double SamplingRate { get; set; } = 1.0;

    /// <summary>Entries buffered before new ones are dropped (and counted): the most a crash can lose.</summary>
    public int Capacity { get; set; } = 20_000;

    /// <summary>A batch is appended when it has this many entries…</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>…or when its first entry has waited this long (the age bound of what a crash can lose).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a clean shutdown may take to append what is buffered.</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
