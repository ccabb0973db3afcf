using Serverless.Domain.Models;

namespace Serverless.Orchestrations.ModelUploads;

/// <summary>
/// An upload that passed validation. <see cref="Kind"/> is <see cref="UploadedModelKinds.Tabular"/> (the product's
/// signature convention: served by <c>/predict</c> and OIP) or <see cref="UploadedModelKinds.Tensor"/> (OIP with raw tensors).
/// </summary>
public sealed record ValidatedModel(
    string Kind,
    ModelSignature Signature,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, string> InputMapping);

public static class UploadedModelKinds
{
    public const string Tabular = "tabular";
    public const string Tensor = "tensor";
}
