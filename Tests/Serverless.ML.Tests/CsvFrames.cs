using System.Globalization;
using Serverless.Domain.Datasets;

namespace Serverless.ML.Tests;

/// <summary>A tiny CSV reader for the shared datasets (quoted fields, empty = missing); a column is numeric when every value parses.</summary>
internal static class CsvFrames
{
    public static TabularFrame Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var header = Split(lines[0]);
        var cells = lines.Skip(1).Select(Split).ToList();
        var columns = new List<FrameColumn>(header.Count);
        for (var c = 0; c < header.Count; c++)
        {
            var raw = cells.Select(r => r[c]).ToArray();
            var numeric = raw.All(v => v.Length == 0 || double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            columns.Add(numeric
                ? new NumericColumn(header[c], raw.Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                : new TextColumn(header[c], ColumnKind.Categorical, raw.Select(v => v.Length == 0 ? null : v).ToArray()));
        }

        return new TabularFrame(columns);
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(ch);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
