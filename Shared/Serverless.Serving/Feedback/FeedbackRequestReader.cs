using System.Text.Json;

namespace Serverless.Serving.Feedback;

/// <summary>Reads <c>{ "items": [ { "id": "…", "actual": "yes" } ] }</c>; a number or boolean actual is kept as its text.</summary>
public static class FeedbackRequestReader
{
    public static IReadOnlyList<FeedbackItem> Read(ReadOnlyMemory<byte> body, int maxItems)
    {
        if (body.IsEmpty)
        {
            throw new ServingRequestException("The request body is empty; send { \"items\": [ { \"id\": \"…\", \"actual\": … } ] }.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ServingRequestException($"Malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("items", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                throw new ServingRequestException("The body must be { \"items\": [ { \"id\": \"…\", \"actual\": … } ] }.");
            }

            var count = items.GetArrayLength();
            if (count == 0)
            {
                throw new ServingRequestException("'items' is empty.");
            }

            if (count > maxItems)
            {
                throw ServingRequestException.TooLarge($"'items' has {count} entries; at most {maxItems} are accepted per request.");
            }

            var result = new List<FeedbackItem>(count);
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                result.Add(ReadItem(item, index++));
            }

            return result;
        }
    }

    private static FeedbackItem ReadItem(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ServingRequestException($"items[{index}] must be an object with 'id' and 'actual'.");
        }

        if (!item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString()!.Length == 0)
        {
            throw new ServingRequestException($"items[{index}].id must be a non-empty string (the id of a prediction).");
        }

        if (!item.TryGetProperty("actual", out var actual))
        {
            throw new ServingRequestException($"items[{index}].actual is missing.");
        }

        var text = actual.ValueKind switch
        {
            JsonValueKind.String => actual.GetString()!,
            JsonValueKind.Number => actual.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw new ServingRequestException($"items[{index}].actual must be a string, number or boolean (got a JSON {actual.ValueKind.ToString().ToLowerInvariant()})."),
        };
        return new FeedbackItem(id.GetString()!, text);
    }
}
