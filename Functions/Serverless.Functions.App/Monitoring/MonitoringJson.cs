using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Serverless.Hosting.Http;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring;

/// <summary>The monitoring API's JSON results (web defaults, enums as strings).</summary>
internal static class MonitoringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static IResult Json(object value, int statusCode = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: statusCode);

    public static IResult Error(int statusCode, string message) => HttpContextFunctionExtensions.Error(statusCode, message);

}
