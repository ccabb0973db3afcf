using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Serverless.Serving.Tests.Infrastructure;

public static class HttpJson
{
    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return (await ReadAsync(response)).WithResponse(response);
    }

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (await ReadAsync(response)).WithResponse(response);
    }

    private static async Task<(int, JsonElement)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    private static (int, JsonElement, HttpResponseMessage) WithResponse(this (int Status, JsonElement Body) result, HttpResponseMessage response) =>
        (result.Status, result.Body, response);
}
