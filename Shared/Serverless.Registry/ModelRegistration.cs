using Serverless.Domain.Models;

namespace Serverless.Registry;

/// <summary>What the pipeline (or an upload) asks the registry to record as a new version.</summary>
public sealed record ModelRegistration(
    string Model,
    string RegistrationId,
    ModelSignature Signature,
    IReadOnlyDictionary<string, double> Metrics,
    ModelLineage Lineage,
    ReadOnlyMemory<byte> Onnx,
    string? ModelCardMarkdown = null,
    string? ModelCardJson = null);
