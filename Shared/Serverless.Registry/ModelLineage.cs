namespace Serverless.Registry;

/// <summary>Where a model version came from: enough to reproduce or audit it.</summary>
public sealed record ModelLineage
{
    /// <summary><c>trained</c> by the pipeline, or <c>uploaded</c> (bring your own ONNX).</summary>
    public string Source { get; init; } = "trained";

    public string? Project { get; init; }

    public int? DatasetVersion { get; init; }

    public string? DatasetHash { get; init; }

    public string? DatasetSource { get; init; }

    public string? RunId { get; init; }

    public string? CodeVersion { get; init; }

    public string? Trainer { get; init; }

    public IReadOnlyDictionary<string, double>? Parameters { get; init; }

    public int? Seed { get; init; }

    public IReadOnlyDictionary<string, int>? SplitSizes { get; init; }

    public IReadOnlyDictionary<string, double>? DurationsSeconds { get; init; }

    /// <summary>Why the run was started (upload, schedule, drift, manual).</summary>
    public string? Trigger { get; init; }

    /// <summary>The correlation id of the request or trigger that started the run.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The W3C trace id (32 hex digits) of the run: the trace its trigger, orchestration and activities share.</summary>
    public string? TraceId { get; init; }

    /// <summary>Uploaded models: <c>container/path</c> of the <c>.onnx</c>.</summary>
    public string? UploadPath { get; init; }

    /// <summary>Uploaded models: <c>container/path</c> of the sidecar JSON, when there was one.</summary>
    public string? UploadSidecar { get; init; }

    /// <summary>Uploaded models: SHA-256 of the uploaded bytes (with the sidecar's, when there was one).</summary>
    public string? UploadHash { get; init; }
}
