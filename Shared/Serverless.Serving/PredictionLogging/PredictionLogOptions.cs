namespace Serverless.Serving.PredictionLogging;

/// <summary>How predictions are logged (configuration section <c>Serving:PredictionLog</c>).</summary>
public sealed class PredictionLogOptions
{
    public const string SectionName = "Serving:PredictionLog";

    /// <summary>Table of logged predictions (PK <c>{model}_{yyyyMMddHH}</c>, RK the prediction id).</summary>
    public string TableName { get; set; } = "predictionlog";

    /// <summary>Table of feedback joined to predictions (same keys).</summary>
    public string FeedbackTableName { get; set; } = "predictionfeedback";

    /// <summary>Share of predictions logged, 0 to 1.</summary>
    public double SamplingRate { get; set; } = 1.0;

    /// <summary>Entries buffered before new ones are dropped (and counted).</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>A batch is written when it has this many entries…</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>…or when its first entry has waited this long.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
