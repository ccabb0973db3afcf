using System.Buffers;
using System.Globalization;
using System.Text;
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
    private double[]? _numbers;
    private string?[]? _texts;

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

    /// <summary>Room for at least <paramref name="rows"/> rows (a streaming reader does not know the count up front).</summary>
    public void EnsureRows(int rows)
    {
        var capacity = _texts?.Length ?? _numbers!.Length;
        if (rows <= capacity)
        {
            return;
        }

        var grown = Math.Max(rows, capacity * 2);
        if (_texts is not null)
        {
            Array.Resize(ref _texts, grown);
            return;
        }

        Array.Resize(ref _numbers, grown);
        _numbers.AsSpan(capacity).Fill(double.NaN);
    }

    public FrameColumn ToColumn() => _texts is not null
        ? new TextColumn(_input.Name, _input.Kind, _texts)
        : new NumericColumn(_input.Name, _input.Kind, _numbers!);

    /// <summary>The first <paramref name="rows"/> cells as a frame column.</summary>
    public FrameColumn ToColumn(int rows)
    {
        if (_texts is not null && _texts.Length != rows)
        {
            Array.Resize(ref _texts, rows);
        }
        else if (_numbers is not null && _numbers.Length != rows)
        {
            Array.Resize(ref _numbers, rows);
        }

        return ToColumn();
    }

    /// <summary>Sets a cell from the JSON value the reader is on (same rules as <see cref="Set(int, JsonElement)"/>).</summary>
    public void Set(int row, ref Utf8JsonReader cell)
    {
        switch (cell.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.String:
                SetText(row, cell.GetString()!);
                return;
            case JsonTokenType.Number when _texts is not null:
                _texts[row] = RawText(ref cell);
                return;
            case JsonTokenType.Number when _input.Kind == ColumnKind.Boolean:
                SetBoolean(row, Finite(row, ref cell), RawText(ref cell));
                return;
            case JsonTokenType.Number:
                _numbers![row] = Finite(row, ref cell);
                return;
            case JsonTokenType.True or JsonTokenType.False when _texts is not null:
                _texts[row] = cell.TokenType == JsonTokenType.True ? "true" : "false";
                return;
            case JsonTokenType.True or JsonTokenType.False when _input.Kind == ColumnKind.Boolean:
                _numbers![row] = cell.TokenType == JsonTokenType.True ? 1 : 0;
                return;
            default:
                throw Invalid(row, $"a JSON {Describe(cell.TokenType)}");
        }
    }

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

    /// <summary>Sets a cell from a CSV field in the reader's buffer: a string only for categorical cells (and errors).</summary>
    public void SetText(int row, ReadOnlySpan<char> text)
    {
        if (_texts is not null || text.IsEmpty || _input.Kind == ColumnKind.Boolean)
        {
            SetText(row, text.ToString());
            return;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsInfinity(number))
        {
            throw Invalid(row, $"'{Shorten(text.ToString())}'");
        }

        _numbers![row] = number;
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

    private double Finite(int row, ref Utf8JsonReader cell) =>
        cell.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw Invalid(row, RawText(ref cell));

    private static string RawText(ref Utf8JsonReader cell) => Encoding.UTF8.GetString(cell.HasValueSequence ? cell.ValueSequence.ToArray() : cell.ValueSpan);

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

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
