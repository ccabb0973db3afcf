namespace Serverless.Orchestrations.ModelUploads;

/// <summary>What happened to one upload: the orchestration's custom status while it runs and its output at the end.</summary>
public sealed record ModelUploadReport
{
    public required string UploadId { get; init; }

    public required string Model { get; init; }

    /// <summary><c>container/path</c> of the <c>.onnx</c>.</summary>
    public required string Upload { get; init; }

    public string? Sidecar { get; init; }

    public required string ContentHash { get; init; }

    /// <summary>SHA-256 of the model bytes validation kept (the snapshot every later step read, and the bytes registered).</summary>
    public string? ModelSha256 { get; init; }

    /// <summary>One of <see cref="ModelUploadStatuses"/>.</summary>
    public string Status { get; init; } = ModelUploadStatuses.Validating;

    /// <summary>Why the upload was rejected.</summary>
    public string? Reason { get; init; }

    public string? Kind { get; init; }

    public IReadOnlyList<string>? Inputs { get; init; }

    public IReadOnlyList<string>? Outputs { get; init; }

    public UploadEvaluation? Evaluation { get; init; }

    public int? Version { get; init; }

    public string? Promotion { get; init; }
}

public static class ModelUploadStatuses
{
    public const string Validating = "Validating";
    public const string Evaluating = "Evaluating";
    public const string Rejected = "Rejected";
    public const string Registered = "Registered";
    public const string Promoted = "Promoted";
    public const string Staged = "Staged";
}
