namespace Serverless.Storage;

/// <summary>An opaque entity tag used for optimistic concurrency.</summary>
public readonly record struct ETag(string Value)
{
    /// <summary>Matches any existing item (<c>If-Match: *</c>).</summary>
    public static ETag All { get; } = new("*");

    public override string ToString() => Value;
}
