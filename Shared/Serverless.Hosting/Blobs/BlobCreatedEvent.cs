using System.Text.Json;

namespace Serverless.Hosting.Blobs;

/// <summary>A blob named by an Event Grid <c>Microsoft.Storage.BlobCreated</c> event.</summary>
public sealed record BlobCreatedEvent(string Container, string Name)
{
    public const string EventType = "Microsoft.Storage.BlobCreated";

    /// <summary>
    /// Reads the blob-created events of a message body (one Event Grid event or an array of them); other
    /// event types are skipped. The blob comes from <c>subject</c>
    /// (<c>/blobServices/default/containers/{c}/blobs/{name}</c>) or else <c>data.url</c>.
    /// </summary>
    /// <exception cref="FormatException">The body is not Event Grid JSON or names no blob.</exception>
    public static IReadOnlyList<BlobCreatedEvent> Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The blob event message is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var events = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().ToList()
                : [document.RootElement];
            return events.Where(IsBlobCreated).Select(ToBlob).ToList();
        }
    }

    private static bool IsBlobCreated(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("eventType", out var type) && type.GetString() == EventType;

    private static BlobCreatedEvent ToBlob(JsonElement e)
    {
        const string marker = "/blobServices/default/containers/";
        if (e.TryGetProperty("subject", out var subject) && subject.GetString() is { } s && s.StartsWith(marker, StringComparison.Ordinal))
        {
            var rest = s[marker.Length..];
            var blobs = rest.IndexOf("/blobs/", StringComparison.Ordinal);
            if (blobs > 0)
            {
                return new BlobCreatedEvent(rest[..blobs], rest[(blobs + "/blobs/".Length)..]);
            }
        }

        if (e.TryGetProperty("data", out var data) && data.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri))
        {
            var segments = Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/').Split('/', 3);
            // Path-style (emulator) URLs put the account first: /account/container/blob.
            var pathStyle = !uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase);
            var offset = pathStyle && segments.Length == 3 ? 1 : 0;
            if (segments.Length - offset >= 2)
            {
                var container = segments[offset];
                var name = string.Join('/', segments.Skip(offset + 1));
                return new BlobCreatedEvent(container, name);
            }
        }

        throw new FormatException("A Microsoft.Storage.BlobCreated event names no blob (neither subject nor data.url).");
    }
}
