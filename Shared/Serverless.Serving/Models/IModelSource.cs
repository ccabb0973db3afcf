namespace Serverless.Serving.Models;

/// <summary>
/// Where served models come from (the model registry implements it over storage).
/// Both methods throw <see cref="ModelNotFoundException"/> for an unknown model, alias or version.
/// </summary>
public interface IModelSource
{
    /// <summary>The version that answers for <paramref name="model"/>: <paramref name="version"/> when given, else the version <paramref name="alias"/> points to.</summary>
    Task<ResolvedModel> ResolveAsync(string model, string? alias, int? version, CancellationToken cancellationToken);

    /// <summary>The ONNX bytes of one version.</summary>
    Task<byte[]> LoadOnnxAsync(string model, int version, CancellationToken cancellationToken);
}

/// <summary>A concrete model version.</summary>
public sealed record ResolvedModel(string Model, int Version);
