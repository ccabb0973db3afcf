using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>
/// Reads a predict request body into a frame with one column per signature input: JSON in the four MLflow shapes
/// (<c>instances</c>, <c>dataframe_split</c>, <c>dataframe_records</c>, <c>inputs</c>; a bare list of records too),
/// or <c>text/csv</c> with a header. Extra columns are ignored. Every problem is a <see cref="ServingRequestException"/>.
/// </summary>
public static class PredictionRequestReader
{
    public static TabularFrame Read(ReadOnlyMemory<byte> body, string? contentType, ModelSignature signature, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (body.IsEmpty)
        {
            throw new ServingRequestException("The request body is empty; send rows as JSON (instances, dataframe_split, dataframe_records or inputs) or text/csv.");
        }

        if (contentType is not null && contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return CsvRequestReader.Read(body, signature, maxRows);
        }

        return ReadJson(body, signature, maxRows);
    }

    /// <summary>
    /// JSON through the streaming reader; whatever it does not accept (and every error) goes to the document reader,
    /// which gives the error its message and status.
    /// </summary>
    internal static TabularFrame ReadJson(ReadOnlyMemory<byte> body, ModelSignature signature, int maxRows)
    {
        try
        {
            if (StreamingJsonRequestReader.TryRead(body.Span, signature, maxRows) is { } frame)
            {
                return frame;
            }
        }
        catch (Exception e) when (e is JsonException or ServingRequestException)
        {
            // Not the fast path: the document reader names the problem.
        }

        return JsonDocumentRequestReader.Read(body, signature, maxRows);
    }

    internal static int CheckRows(int rows, int maxRows)
    {
        if (rows == 0)
        {
            throw new ServingRequestException("The request has no rows to score.");
        }

        if (rows > maxRows)
        {
            throw ServingRequestException.TooLarge($"The request has {rows} rows; at most {maxRows} are accepted per request (use batch scoring for more).");
        }

        return rows;
    }
}
