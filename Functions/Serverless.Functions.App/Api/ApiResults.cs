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

    public static IResult Forbidden(string project) =>
        HttpContextFunctionExtensions.Error(StatusCodes.Status403Forbidden, $"The key used may not access project '{project}'.");

    public static string Actor(FunctionContext context) => context.GetCaller().KeyName ?? "anonymous";
}
