using Microsoft.AspNetCore.Http;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Functions.Api;

/// <summary>The API's JSON results and the checks every route makes before touching storage.</summary>
internal static class ApiResults
{
    public static IResult Json(object value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, RegistryJson.Options, statusCode: statusCode);

    public static IResult NotFound(string message) => HttpContextFunctionExtensions.Error(StatusCodes.Status404NotFound, message);

    public static IResult BadRequest(string message) => HttpContextFunctionExtensions.Error(StatusCodes.Status400BadRequest, message);

    /// <summary>A 400 naming the problem when <paramref name="name"/> is not a valid project, model or alias name.</summary>
    public static IResult? RejectName(string kind, string name) =>
        StorageNames.DescribeInvalidResourceName(kind, name) is { } problem ? BadRequest(problem) : null;

    /// <summary>The route value <paramref name="key"/> as a <paramref name="kind"/> name, with a 400 naming the problem when it is not a valid name.</summary>
    public static (string Name, IResult? Problem) RouteName(HttpRequest request, string key, string kind)
    {
        var name = request.RouteValues[key] as string ?? string.Empty;
        return (name, RejectName(kind, name));
    }

    public static IResult Forbidden(string project) =>
        HttpContextFunctionExtensions.Error(StatusCodes.Status403Forbidden, $"The key used may not access project '{project}'.");

    public static string Actor(FunctionContext context) => context.Caller.KeyName ?? "anonymous";
}
