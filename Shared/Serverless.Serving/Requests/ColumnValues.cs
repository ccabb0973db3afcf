using System.Globalization;
using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Serving.Requests;

/// <summary>
/// The values of one signature input as a request gives them, converted cell by cell: numbers (or strings that parse
/// as numbers) for numeric inputs; true/false/1/0 for boolean inputs; strings (numbers and booleans as their text) for
/// categorical inputs; null or an absent cell is a missing value, imputed by the model.
/// </summary>
internal sealed class ColumnValues
{
    private readonly SignatureInput _input;
    private readonly double[]? _numbers;
    private readonly string?[]? _texts;

    public ColumnValues(SignatureInput input, int rows)
    {
        _input = input;
        if (input.Kind == ColumnKind.Categorical)
        {
            _texts = new string?[rows];
        }
        else
        {
            _numbers = new double[rows];
            Array.Fill(_numbers, double.NaN);
        }
    }

    public string Name => _input.Name;

    public FrameColumn ToColumn() => _texts is not null
        ? new TextColumn(_input.Name, _input.Kind, _texts)
        : new NumericColumn(_input.Name, _input.Kind, _numbers!);

    public void Set(int row, JsonElement cell)
    {
        switch (cell.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.String:
                SetText(row, cell.GetString()!);
                return;
            case JsonValueKind.Number when _texts is not null:
                _texts[row] = cell.GetRawText();
                return;
            case JsonValueKind.Number when _input.Kind == ColumnKind.Boolean:
                SetBoolean(row, Finite(row, cell), cell.GetRawText());
                return;
            case JsonValueKind.Number:
                _numbers![row] = Finite(row, cell);
                return;
            case JsonValueKind.True or JsonValueKind.False when _texts is not null:
                _texts[row] = cell.ValueKind == JsonValueKind.True ? "true" : "false";
                return;
            case JsonValueKind.True or JsonValueKind.False when _input.Kind == ColumnKind.Boolean:
                _numbers![row] = cell.ValueKind == JsonValueKind.True ? 1 : 0;
                return;
            default:
                throw Invalid(row, $"a JSON {Describe(cell.ValueKind)}");
        }
    }

    /// <summary>Sets a cell from text (CSV, or a JSON string); an empty text is missing.</summary>
    public void SetText(int row, string text)
    {
        if (_texts is not null)
        {
            _texts[row] = text.Length == 0 ? null : text;
            return;
        }

        if (text.Length == 0)
        {
            return;
        }

        if (_input.Kind == ColumnKind.Boolean)
        {
            _numbers![row] = text.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "1" => 1,
                "FALSE" or "0" => 0,
                _ => throw Invalid(row, $"'{Shorten(text)}'"),
            };
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsInfinity(number))
        {
            throw Invalid(row, $"'{Shorten(text)}'");
        }

        _numbers![row] = number;
    }

    private double Finite(int row, JsonElement cell) =>
        cell.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw Invalid(row, cell.GetRawText());

    private void SetBoolean(int row, double number, string raw) => _numbers![row] = number switch
    {
        1 => 1,
        0 => 0,
        _ => throw Invalid(row, raw),
    };

    private ServingRequestException Invalid(int row, string got) => new(
        $"Row {row} (0-based), column '{_input.Name}': expected {Expected(_input.Kind)}, got {got}.");

    private static string Expected(ColumnKind kind) => kind switch
    {
        ColumnKind.Boolean => "a boolean (true/false/1/0, or null for missing)",
        ColumnKind.Categorical => "a string (or null for missing)",
        _ => "a number (or a string that parses as one, or null for missing)",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
