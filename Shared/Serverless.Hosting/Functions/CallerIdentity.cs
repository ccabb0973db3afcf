namespace Serverless.Hosting;

/// <summary>Who called an HTTP function: the key's name and level and the projects it may touch.</summary>
/// <param name="KeyName">Name of the key used; <c>null</c> for an anonymous call or a non-HTTP trigger.</param>
/// <param name="Level">The key's level (<see cref="AuthorizationLevel.Anonymous"/> without one).</param>
/// <param name="Projects">Projects the key is limited to; empty means all.</param>
public sealed record CallerIdentity(string? KeyName, AuthorizationLevel Level, IReadOnlyList<string> Projects)
{
    public static CallerIdentity Anonymous { get; } = new(null, AuthorizationLevel.Anonymous, []);

    /// <summary>The host itself (blob and timer triggers).</summary>
    public static CallerIdentity System { get; } = new("system", AuthorizationLevel.Admin, []);

    public bool IsScoped => Projects.Count > 0;

    /// <summary>Whether the caller may act on <paramref name="project"/>.</summary>
    public bool CanAccessProject(string project) =>
        !IsScoped || Projects.Contains(project, StringComparer.Ordinal);
}
