using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Domain.Models;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// The optional <c>{model file name}.json</c> beside an uploaded <c>.onnx</c>: what the uploader says about the model.
/// Every field is optional; a field that contradicts the model itself rejects the upload.
/// </summary>
public sealed record UploadSidecar
{
    /// <summary><c>regression</c>, <c>binary</c> or <c>multiclass</c>.</summary>
    public string? Task { get; init; }

    /// <summary>Class names, in the order of the model's probability columns.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>ONNX input name → dataset column it reads (for evaluation); identity when absent.</summary>
    public IReadOnlyDictionary<string, string>? InputMapping { get; init; }

    /// <summary>The column the model predicts.</summary>
    public string? Label { get; init; }

    /// <summary>A dataset version to evaluate the model on before registering it.</summary>
    public EvaluationDatasetReference? EvaluationDataset { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The task named by <see cref="Task"/>, or null when absent.</summary>
    /// <exception cref="ModelUploadRejectedException">The task is not one the product knows.</exception>
    public TaskKind? TaskKind => Task is null
        ? null
        : Enum.TryParse<TaskKind>(Task, ignoreCase: true, out var kind) && !int.TryParse(Task, out _)
            ? kind
            : throw new ModelUploadRejectedException($"sidecar field 'task': '{Task}' is not one of {string.Join(", ", Enum.GetNames<TaskKind>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>Parses the sidecar; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="ModelUploadRejectedException">The text is not a valid sidecar.</exception>
    public static UploadSidecar Parse(string json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var sidecar = JsonSerializer.Deserialize<UploadSidecar>(json, Json)
                ?? throw new ModelUploadRejectedException($"sidecar {file}: the JSON is null");
            if (sidecar.EvaluationDataset is { } dataset && (string.IsNullOrWhiteSpace(dataset.Project) || dataset.Version < 1))
            {
                throw new ModelUploadRejectedException($"sidecar {file}: field 'evaluationDataset' needs a 'project' and a 'version' of 1 or more");
            }

            _ = sidecar.TaskKind;
            return sidecar;
        }
        catch (JsonException e)
        {
            throw new ModelUploadRejectedException($"sidecar {file} is not valid: {e.Message}", e);
        }
    }
}

/// <summary>A project's dataset version (its frame in <c>artifacts</c>).</summary>
public sealed record EvaluationDatasetReference(string Project, int Version);
