using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Serverless.Serving.Tests;

/// <summary>
/// Random predict bodies for the churn signature (age numeric, active boolean, plan categorical) in the four MLflow
/// shapes and a bare list of records, valid or with one defect: malformed or truncated JSON, a cell of the wrong kind,
/// a missing column, ragged rows, too many rows, two shape keys, and so on; split data before its columns (valid, but
/// off the fast path) is among the "invalid" ones, which must only read as the document reader reads them.
/// </summary>
internal static class RandomRequestBodies
{
    public const int MaxRows = 6;

    private static readonly string[] Columns = ["age", "active", "plan"];

    public static string Valid(Random random) => Write(random, defect: null);

    public static string Invalid(Random random)
    {
        var defect = random.Next(12);
        var body = Write(random, defect);
        return defect switch
        {
            0 => body[..random.Next(1, body.Length)],
            1 => body + (random.Next(2) == 0 ? " x" : "{}"),
            2 => body.Replace(":", ": ,", StringComparison.Ordinal),
            _ => body,
        };
    }

    private static string Write(Random random, int? defect)
    {
        var rows = defect == 3 ? MaxRows + 1 + random.Next(3) : defect == 4 ? 0 : random.Next(1, MaxRows + 1);
        var columns = new List<string>(Columns);
        if (defect == 5)
        {
            columns.RemoveAt(random.Next(columns.Count));
        }

        if (random.Next(3) == 0)
        {
            columns.Insert(random.Next(columns.Count + 1), random.Next(2) == 0 ? "extra" : "pl\\u0061n2");
        }

        var cells = Enumerable.Range(0, rows).Select(_ => columns.Select(c => Cell(random, c)).ToArray()).ToArray();
        if (defect == 6 && rows > 0)
        {
            var row = random.Next(rows);
            var column = columns.FindIndex(c => Columns.Contains(c));
            cells[row][column] = random.Next(3) switch
            {
                0 => "{\"a\": 1}",
                1 => "[1]",
                _ => columns[column] == "plan" ? "{}" : "\"not a number\"",
            };
        }

        var shape = random.Next(5);
        var text = shape switch
        {
            0 => Records(random, "instances", columns, cells, defect),
            1 => Records(random, "dataframe_records", columns, cells, defect),
            2 => Records(random, "inputs", columns, cells, defect),
            3 => Split(random, columns, cells, defect),
            _ => Columnar(random, columns, cells, defect),
        };
        return defect == 8 ? text.Replace("{", "{ \"inputs\": {}, ", StringComparison.Ordinal) : text;
    }

    /// <summary>A valid cell for the column (any value for a column the model does not use).</summary>
    private static string Cell(Random random, string column) => column switch
    {
        "age" => random.Next(7) switch
        {
            0 => "null",
            1 => "\"\"",
            2 => JsonSerializer.Serialize(random.Next(-5, 100).ToString(CultureInfo.InvariantCulture)),
            3 => "1e2",
            4 => "-0.5E-3",
            5 => "\" 7.25 \"",
            _ => (random.NextDouble() * 200 - 100).ToString("R", CultureInfo.InvariantCulture),
        },
        "active" => random.Next(7) switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 => random.Next(2) == 0 ? "\"TRUE\"" : "\" false\"",
            3 => "1.0",
            4 => "\"\"",
            _ => random.Next(2).ToString(CultureInfo.InvariantCulture),
        },
        _ => random.Next(7) switch
        {
            0 => "null",
            1 => "\"\"",
            2 => random.Next(2) == 0 ? "true" : "false",
            3 => "12.50",
            4 => JsonSerializer.Serialize("fr\u00e9e \"q\""),
            5 => "\"pr\\u006f\"",
            _ => random.Next(2) == 0 ? "\"pro\"" : "\"free\"",
        },
    };

    private static string Records(Random random, string key, List<string> columns, string[][] cells, int? defect)
    {
        var text = new StringBuilder("[");
        for (var row = 0; row < cells.Length; row++)
        {
            text.Append(row > 0 ? ", " : string.Empty);
            if (defect == 7 && row == cells.Length - 1)
            {
                text.Append("[1, 2, 3]");
                continue;
            }

            text.Append('{');
            var first = true;
            for (var c = 0; c < columns.Count; c++)
            {
                // Sometimes a record leaves a column out (missing for that row, still named by other rows).
                if (row > 0 && random.Next(8) == 0)
                {
                    continue;
                }

                text.Append(first ? string.Empty : ", ").Append('"').Append(columns[c]).Append("\": ").Append(cells[row][c]);
                first = false;
            }

            text.Append('}');
        }

        text.Append(']');
        return random.Next(6) == 0 && key != "inputs" ? text.ToString() : $"{{ \"other\": [1, {{\"x\": null}}], \"{key}\": {text} }}";
    }

    private static string Split(Random random, List<string> columns, string[][] cells, int? defect)
    {
        var names = "[" + string.Join(", ", columns.Select(c => $"\"{c}\"")) + "]";
        var data = "[" + string.Join(", ", cells.Select((row, i) =>
            "[" + string.Join(", ", defect == 7 && i == cells.Length - 1 ? row.Skip(1) : row) + "]")) + "]";
        var inner = defect == 9
            ? $"\"data\": {data}, \"columns\": {names}"
            : $"\"index\": [0], \"columns\": {names}, \"data\": {data}";
        return $"{{\"dataframe_split\": {{ {inner} }}}}";
    }

    private static string Columnar(Random random, List<string> columns, string[][] cells, int? defect)
    {
        var lists = columns.Select((name, c) =>
        {
            var values = cells.Select(row => row[c]);
            if (defect == 7 && c == columns.Count - 1)
            {
                values = values.Skip(1);
            }

            return $"\"{name}\": [{string.Join(", ", values)}]";
        });
        return "{\"inputs\": {" + string.Join(", ", lists) + "}" + (defect == 10 ? ", \"instances\": []" : string.Empty) + "}";
    }
}
