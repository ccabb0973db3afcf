using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>
/// The general JSON reader: parses the whole body into a <see cref="JsonDocument"/> and reads the four MLflow shapes
/// from it, naming the row and column of every problem. It is the authority on what a JSON body means and on every
/// error message; <see cref="StreamingJsonRequestReader"/> is the fast path for bodies it would accept.
/// </summary>
internal static class JsonDocumentRequestReader
{
    private static readonly string[] Shapes = ["instances", "dataframe_split", "dataframe_records", "inputs"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static TabularFrame Read(ReadOnlyMemory<byte> body, ModelSignature signature, int maxRows)
    {
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

        var builder = new RequestFrameBuilder(signature, PredictionRequestReader.CheckRows(records.GetArrayLength(), maxRows));
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

        var builder = new RequestFrameBuilder(signature, PredictionRequestReader.CheckRows(data.GetArrayLength(), maxRows));
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

        var builder = new RequestFrameBuilder(signature, PredictionRequestReader.CheckRows(rows ?? 0, maxRows));
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
}
