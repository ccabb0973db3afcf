namespace Serverless.Storage;

/// <summary>Conditions and headers for a blob write.</summary>
public sealed record BlobWriteOptions
{
    /// <summary>Fail with <see cref="StorageConflictException"/> when the blob already exists.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>Fail with <see cref="StorageConflictException"/> unless the blob still has this ETag.</summary>
    public ETag? IfMatch { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static BlobWriteOptions Overwrite { get; } = new();

    public static BlobWriteOptions Immutable { get; } = new() { CreateOnly = true };
}
