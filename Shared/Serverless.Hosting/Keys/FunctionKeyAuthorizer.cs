using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Keys;

/// <summary>
/// Checks a request's key (header <c>x-functions-key</c> or query <c>code</c>) against an authorization level
/// and, for keys scoped to projects, against the request's <c>project</c> (or model <c>name</c>) route value
/// and <c>project</c> query value. Lookups are cached for <see cref="KeysOptions.CacheDuration"/>.
/// </summary>
public sealed class FunctionKeyAuthorizer(FunctionKeyStore store, MasterKey master, IOptions<KeysOptions> options, TimeProvider time)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private static readonly string[] ScopedRouteValues = ["project", "name"];

    private readonly ConcurrentDictionary<string, (CallerIdentity? Caller, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task<KeyCheck> CheckAsync(HttpContext http, AuthorizationLevel required, CancellationToken cancellationToken)
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

        foreach (var project in RequestedProjects(http))
        {
            if (!caller.CanAccessProject(project))
            {
                return KeyCheck.Forbidden(caller, $"The key '{caller.KeyName}' is limited to projects [{string.Join(", ", caller.Projects)}] and may not access '{project}'.");
            }
        }

        return KeyCheck.Allow(caller);
    }

    /// <summary>Forgets a key at once on this host (others notice within the cache duration).</summary>
    public void Forget(string hash) => _cache.TryRemove(hash, out _);

    private async Task<CallerIdentity?> IdentifyAsync(string key, CancellationToken cancellationToken)
    {
        var hash = KeySecrets.Hash(key);
        if (master.Matches(hash))
        {
            return new CallerIdentity(FunctionKeyStore.MasterKeyName, AuthorizationLevel.Admin, []);
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Caller;
        }

        var stored = await store.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
        var caller = stored?.ToCaller();
        if (stored?.Name == FunctionKeyStore.MasterKeyName && !master.AcceptsStored)
        {
            caller = null; // a configured MasterKey replaces any generated one
        }

        _cache[hash] = (caller, now + options.Value.CacheDuration);
        return caller;
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
