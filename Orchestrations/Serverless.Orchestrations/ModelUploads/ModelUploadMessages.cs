using Serverless.Orchestrations.Training;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>The orchestration's input: an uploaded <c>.onnx</c> blob and its optional sidecar.</summary>
public sealed record ModelUploadRequest(string Model, string Container, string Path, string? SidecarPath, string ContentHash, string? CorrelationId = null)
{
    public string Upload => $"{Container}/{Path}";
}

/// <summary>Validation's answer: the model's interface and the snapshot of the validated bytes, or the reason it is rejected.</summary>
public sealed record UploadValidation(ValidatedModel? Model, UploadSidecar? Sidecar, long Size, string? Rejection, UploadSnapshot? Snapshot = null);

/// <summary>Evaluate the validated model: the bytes of <paramref name="Snapshot"/>, not the upload blob.</summary>
public sealed record EvaluateUploadRequest(string UploadId, ModelUploadRequest Upload, ValidatedModel Model, UploadSidecar? Sidecar, UploadSnapshot Snapshot);

/// <summary>
/// Metrics on the evaluation dataset (empty when none was named), the production comparison and the project's
/// gates, as in the training pipeline; <see cref="Rejection"/> when the model cannot be scored on the named data.
/// </summary>
public sealed record UploadEvaluation(
    string Metric,
    IReadOnlyDictionary<string, double> Metrics,
    string? Dataset,
    int? ChampionVersion,
    IReadOnlyDictionary<string, double>? Champion,
    string? ChampionSkippedReason,
    IReadOnlyList<GateResult> Gates,
    bool Passed,
    bool AutoPromotion,
    string? Rejection = null);

/// <summary>Register exactly what was evaluated: the bytes of <paramref name="Snapshot"/>.</summary>
public sealed record RegisterUploadRequest(string UploadId, ModelUploadRequest Upload, ValidatedModel Model, UploadSidecar? Sidecar, UploadEvaluation Evaluation, UploadSnapshot Snapshot, string? AttemptId = null);
