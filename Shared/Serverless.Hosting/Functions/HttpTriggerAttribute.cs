namespace Serverless.Hosting;

/// <summary>
/// Triggers the function on HTTP requests to <c>{routePrefix}/{Route}</c> (the function name when no route is
/// given) with one of <see cref="Methods"/>. The parameter is an <see cref="Microsoft.AspNetCore.Http.HttpRequest"/>.
/// </summary>
public sealed class HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods) : TriggerAttribute
{
    public AuthorizationLevel AuthLevel { get; } = authLevel;

    /// <summary>HTTP methods; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; } = methods;

    /// <summary>Route template (ASP.NET Core syntax: <c>projects/{project}</c>, <c>{*path}</c>).</summary>
    public string? Route { get; set; }
}
