namespace Serverless.Hosting.Keys;

/// <summary>A stored function or admin key (its secret is never stored, only its SHA-256 hash).</summary>
/// <param name="Permissions">What a function key may do; <c>null</c> when it was created without a list (every function-level right).</param>
public sealed record FunctionKey(string Name, AuthorizationLevel Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt, KeyPermissions? Permissions = null)
{
    public CallerIdentity ToCaller() => new(Name, Level, Projects, Permissions ?? KeyPermissions.All);
}

/// <summary>A key just created: the only time its secret <see cref="Value"/> is known.</summary>
public sealed record CreatedFunctionKey(FunctionKey Key, string Value);
