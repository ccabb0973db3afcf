namespace Serverless.Functions.BuiltIn;

/// <summary>Body of <c>POST /api/keys</c>.</summary>
/// <param name="Level"><c>function</c> (default) or <c>admin</c>.</param>
/// <param name="Projects">Projects a function key is limited to; none means all.</param>
public sealed record CreateKeyRequest(string? Name, string? Level, IReadOnlyList<string>? Projects);

/// <summary>A key as listed (no secret).</summary>
public sealed record KeyDescription(string Name, string Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt);

/// <summary>A key just created: <see cref="Key"/> is shown this once.</summary>
public sealed record CreatedKeyResponse(string Name, string Level, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt, string Key);
