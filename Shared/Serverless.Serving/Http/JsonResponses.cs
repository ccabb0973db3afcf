using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Serverless.Serving.Http;

/// <summary>Writes JSON responses straight to the response body.</summary>
internal static class JsonResponses
{
    public static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(writer);
            writer.Flush();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
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
