using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Serving.Http;

/// <summary>Writes JSON responses straight to the response body (buffered by the server until the endpoint returns).</summary>
internal static class JsonResponses
{
    public static Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(writer);
            writer.Flush();
        }

        // No explicit flush: the server sends the response when the endpoint returns, in one write with its
        // Content-Length, instead of a chunked body and a flush round through the pipe per request.
        return Task.CompletedTask;
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        });

    public static Task WriteObjectAsync<T>(HttpContext context, T value) =>
        WriteAsync(context, StatusCodes.Status200OK, writer => JsonSerializer.Serialize(writer, value, JsonSerializerOptions.Web));
}
