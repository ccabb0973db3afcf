namespace Serverless.Hosting.Keys;

/// <summary>A stored function or admin key (its secret is never stored, only its SHA-256 hash).</summary>
public sealed record FunctionKey(string Name, AuthorizationLevel Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt)
{
    public CallerIdentity ToCaller() => new(Name, Level, Projects);
}

/// <summary>A key just created: the only time its secret <see cref="Value"/> is known.</summary>
public sealed record CreatedFunctionKey(FunctionKey Key, string Value);
