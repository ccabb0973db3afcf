using Microsoft.AspNetCore.Http;

namespace Serverless.Hosting.Keys;

/// <summary>
/// Checks a request's key (header <c>x-functions-key</c> or query <c>code</c>) against an authorization level,
/// the permission the function declares (<see cref="RequiresKeyAttribute"/>) and, for keys
/// scoped to projects, against the request's <c>project</c> (or model <c>name</c>) route value and <c>project</c>
/// query value. Keys are looked up in the <see cref="FunctionKeyIndex"/>, never per request in storage.
/// </summary>
public sealed class FunctionKeyAuthorizer(FunctionKeyIndex index, MasterKey master)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private static readonly string[] ScopedRouteValues = ["project", "name"];

    /// <param name="permission">The permission a key limited to permissions must hold; <c>null</c> when the route names none.</param>
    public async Task<KeyCheck> CheckAsync(HttpContext http, AuthorizationLevel required, KeyPermissions? permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var key = http.Request.Headers[HeaderName].FirstOrDefault() ?? http.Request.Query[QueryName].FirstOrDefault();
        var caller = string.IsNullOrEmpty(key) ? null : await IdentifyAsync(key, cancellationToken).ConfigureAwait(false);
        if (required == AuthorizationLevel.Anonymous)
        {
            return KeyCheck.Allow(caller ?? CallerIdentity.Anonymous);
        }

        if (string.IsNullOrEmpty(key))
        {
            return KeyCheck.Unauthorized($"A key is required: send it in the '{HeaderName}' header or the '{QueryName}' query parameter.");
        }

        if (caller is null)
        {
            return KeyCheck.Unauthorized("The key is not valid (unknown or revoked).");
        }

        if (caller.Level < required)
        {
            return KeyCheck.Forbidden(caller, $"The key '{caller.KeyName}' is a {caller.Level.ToString().ToLowerInvariant()} key; this operation requires an admin key.");
        }

        if (PermissionProblem(caller, permission) is { } problem)
        {
            return KeyCheck.Forbidden(caller, problem);
        }

        foreach (var project in RequestedProjects(http))
        {
            if (!caller.CanAccessProject(project))
            {
                return KeyCheck.Forbidden(caller, $"The key '{caller.KeyName}' is limited to projects [{string.Join(", ", caller.Projects)}] and may not access '{project}'.");
            }
        }

        return KeyCheck.Allow(caller);
    }

    /// <summary>Why <paramref name="caller"/> may not call an endpoint that needs <paramref name="required"/>, or <c>null</c>.</summary>
    private static string? PermissionProblem(CallerIdentity caller, KeyPermissions? required)
    {
        if (!caller.IsLimitedByPermissions)
        {
            return null;
        }

        var granted = KeyPermissionNames.Format(caller.Permissions);
        if (required is null)
        {
            return $"The key '{caller.KeyName}' is limited to permissions [{string.Join(", ", granted)}]; this operation is open only to keys without a permission list.";
        }

        return caller.Has(required.Value)
            ? null
            : $"The key '{caller.KeyName}' lacks permission '{KeyPermissionNames.NameOf(required.Value)}' (it has [{string.Join(", ", granted)}]).";
    }

    private async Task<CallerIdentity?> IdentifyAsync(string key, CancellationToken cancellationToken)
    {
        var hash = KeySecrets.Hash(key);
        if (master.Matches(hash))
        {
            return new CallerIdentity(FunctionKeyStore.MasterKeyName, AuthorizationLevel.Admin, []);
        }

        var stored = await index.FindAsync(hash, cancellationToken).ConfigureAwait(false);
        if (stored?.Name == FunctionKeyStore.MasterKeyName && !master.AcceptsStored)
        {
            return null; // a configured MasterKey replaces any generated one
        }

        return stored?.ToCaller();
    }

    private static IEnumerable<string> RequestedProjects(HttpContext http)
    {
        foreach (var name in ScopedRouteValues)
        {
            if (http.Request.RouteValues.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } project)
            {
                yield return project;
            }
        }

        foreach (var project in http.Request.Query["project"])
        {
            if (!string.IsNullOrEmpty(project))
            {
                yield return project;
            }
        }
    }
}
