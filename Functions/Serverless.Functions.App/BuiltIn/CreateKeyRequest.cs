namespace Serverless.Functions.BuiltIn;

/// <summary>Body of <c>POST /api/keys</c>.</summary>
/// <param name="Level"><c>function</c> (default) or <c>admin</c>.</param>
/// <param name="Projects">Projects a function key is limited to; none means all.</param>
/// <param name="Permissions">What a function key may do (<c>predict</c>, <c>feedback</c>, <c>read</c>); omitted means every function-level right.</param>
public sealed record CreateKeyRequest(string? Name, string? Level, IReadOnlyList<string>? Projects, IReadOnlyList<string>? Permissions = null);

/// <summary>A key as listed (no secret).</summary>
/// <param name="Permissions">The key's permission list; <c>null</c> for a key without one (every right of its level).</param>
public sealed record KeyDescription(string Name, string Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt, IReadOnlyList<string>? Permissions);

/// <summary>A key just created: <see cref="Key"/> is shown this once.</summary>
public sealed record CreatedKeyResponse(string Name, string Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt, IReadOnlyList<string>? Permissions, string Key);
