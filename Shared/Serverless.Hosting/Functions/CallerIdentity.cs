namespace Serverless.Hosting;

/// <summary>Who called an HTTP function: the key's name and level, the projects it may touch and what it may do.</summary>
/// <param name="KeyName">Name of the key used; <c>null</c> for an anonymous call or a non-HTTP trigger.</param>
/// <param name="Level">The key's level (<see cref="AuthorizationLevel.Anonymous"/> without one).</param>
/// <param name="Projects">Projects the key is limited to; empty means all.</param>
/// <param name="Permissions">What a function key may do (<see cref="KeyPermissions.All"/> unless its key lists permissions).</param>
public sealed record CallerIdentity(string? KeyName, AuthorizationLevel Level, IReadOnlyList<string> Projects, KeyPermissions Permissions = KeyPermissions.All)
{
    public static CallerIdentity Anonymous { get; } = new(null, AuthorizationLevel.Anonymous, [], KeyPermissions.None);

    /// <summary>The host itself (blob and timer triggers).</summary>
    public static CallerIdentity System { get; } = new("system", AuthorizationLevel.Admin, []);

    public bool IsScoped => Projects.Count > 0;

    /// <summary>Whether the caller's key lists permissions (admin keys never are limited).</summary>
    public bool IsLimitedByPermissions => Level < AuthorizationLevel.Admin && Permissions != KeyPermissions.All;

    /// <summary>Whether the caller may act on <paramref name="project"/>.</summary>
    public bool CanAccessProject(string project) =>
        !IsScoped || Projects.Contains(project, StringComparer.Ordinal);

    /// <summary>Whether a caller with a key has <paramref name="permission"/> (admin keys have every one).</summary>
    public bool Has(KeyPermissions permission) =>
        Level >= AuthorizationLevel.Admin || (Level >= AuthorizationLevel.Function && (Permissions & permission) == permission);
}
