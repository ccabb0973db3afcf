namespace Serverless.Storage;

/// <summary>What is known about a stored blob without reading it.</summary>
public sealed record BlobItem(
    string Container,
    string Name,
    ETag ETag,
    long Length,
    DateTimeOffset LastModified,
    string? ContentType = null,
    IReadOnlyDictionary<string, string>? Metadata = null);
