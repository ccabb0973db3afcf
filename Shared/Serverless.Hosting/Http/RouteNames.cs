using Microsoft.AspNetCore.Http;
using Serverless.Storage;

namespace Serverless.Hosting.Http;

/// <summary>
/// Project, model and alias names taken from a route, checked by the product's naming rule (1-63 chars of
/// <c>a-z0-9-</c>): an invalid one is a 400 whose message names the kind and the problem.
/// </summary>
public static class RouteNames
{
    /// <summary>The 400 for an invalid <paramref name="kind"/> name, or <c>null</c> when the name is valid.</summary>
    public static IResult? Reject(string kind, string? name) =>
        StorageNames.DescribeInvalidResourceName(kind, name) is { } problem
            ? HttpContextFunctionExtensions.Error(StatusCodes.Status400BadRequest, problem)
            : null;

    /// <summary>The route value <paramref name="key"/> as a <paramref name="kind"/> name, with the 400 when it is invalid.</summary>
    public static (string Name, IResult? Problem) Read(HttpRequest request, string key, string kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.RouteValues[key] as string ?? string.Empty;
        return (name, Reject(kind, name));
    }
}
