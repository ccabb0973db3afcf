namespace Serverless.Hosting.Keys;

/// <summary>The outcome of checking a request's key against a required level and project scope.</summary>
/// <param name="StatusCode">200 when allowed, 401 for a missing or wrong key, 403 for a key that may not call this.</param>
public sealed record KeyCheck(int StatusCode, CallerIdentity Caller, string? Error)
{
    public bool Allowed => StatusCode == 200;

    public static KeyCheck Allow(CallerIdentity caller) => new(200, caller, null);

    public static KeyCheck Unauthorized(string error) => new(401, CallerIdentity.Anonymous, error);

    public static KeyCheck Forbidden(CallerIdentity caller, string error) => new(403, caller, error);
}
