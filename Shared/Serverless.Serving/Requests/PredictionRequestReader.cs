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
    private static readonly string[] Shapes = ["instances", "dataframe_split", "dataframe_records", "inputs"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

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

        using var document = Parse(body);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return FromRecords(root, "the body", signature, maxRows);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ServingRequestException($"The body must be a JSON object with one of: {string.Join(", ", Shapes)}.");
        }

        var present = Shapes.Where(shape => root.TryGetProperty(shape, out _)).ToList();
        if (present.Count != 1)
        {
            throw new ServingRequestException(present.Count == 0
                ? $"The body has none of the accepted keys: {string.Join(", ", Shapes)}."
                : $"The body has more than one of {string.Join(", ", present)}; send exactly one.");
        }

        var value = root.GetProperty(present[0]);
        return present[0] switch
        {
            "dataframe_split" => FromSplit(value, signature, maxRows),
            "inputs" when value.ValueKind == JsonValueKind.Object => FromColumns(value, signature, maxRows),
            _ => FromRecords(value, present[0], signature, maxRows),
        };
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, byte {e.BytePositionInLine + 1}" : string.Empty;
            throw new ServingRequestException($"Malformed JSON{where}: {e.Message}", e);
        }
    }

    private static TabularFrame FromRecords(JsonElement records, string key, ModelSignature signature, int maxRows)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            throw new ServingRequestException($"'{key}' must be a list of records (objects mapping column to value).");
        }

        var builder = new RequestFrameBuilder(signature, CheckRows(records.GetArrayLength(), maxRows));
        var row = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new ServingRequestException($"Row {row} (0-based) of '{key}' is a JSON {record.ValueKind.ToString().ToLowerInvariant()}; expected an object mapping column to value.");
            }

            foreach (var property in record.EnumerateObject())
            {
                builder.Column(property.Name)?.Set(row, property.Value);
            }

            row++;
        }

        return builder.Build();
    }

    private static TabularFrame FromSplit(JsonElement split, ModelSignature signature, int maxRows)
    {
        if (split.ValueKind != JsonValueKind.Object
            || !split.TryGetProperty("columns", out var columns) || columns.ValueKind != JsonValueKind.Array
            || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new ServingRequestException("'dataframe_split' must be an object with 'columns' (a list of names) and 'data' (a list of rows).");
        }

        var builder = new RequestFrameBuilder(signature, CheckRows(data.GetArrayLength(), maxRows));
        var targets = new List<ColumnValues?>();
        foreach (var name in columns.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                throw new ServingRequestException($"dataframe_split.columns[{targets.Count}] is not a string.");
            }

            targets.Add(builder.Column(name.GetString()!));
        }

        var row = 0;
        foreach (var values in data.EnumerateArray())
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != targets.Count)
            {
                throw new ServingRequestException($"Row {row} (0-based) of dataframe_split.data must be a list of {targets.Count} values, one per column.");
            }

            var index = 0;
            foreach (var cell in values.EnumerateArray())
            {
                targets[index++]?.Set(row, cell);
            }

            row++;
        }

        return builder.Build();
    }

    private static TabularFrame FromColumns(JsonElement inputs, ModelSignature signature, int maxRows)
    {
        int? rows = null;
        string? first = null;
        foreach (var property in inputs.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new ServingRequestException($"inputs.{property.Name} must be a list of values (one per row).");
            }

            var length = property.Value.GetArrayLength();
            if (rows is { } expected && length != expected)
            {
                throw new ServingRequestException($"inputs.{property.Name} has {length} values but inputs.{first} has {expected}; every column needs one value per row.");
            }

            rows = length;
            first ??= property.Name;
        }

        var builder = new RequestFrameBuilder(signature, CheckRows(rows ?? 0, maxRows));
        foreach (var property in inputs.EnumerateObject())
        {
            var target = builder.Column(property.Name);
            if (target is null)
            {
                continue;
            }

            var row = 0;
            foreach (var cell in property.Value.EnumerateArray())
            {
                target.Set(row++, cell);
            }
        }

        return builder.Build();
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
