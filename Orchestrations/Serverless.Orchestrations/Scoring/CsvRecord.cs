using System.Text;

namespace Serverless.Orchestrations.Scoring;

/// <summary>Splits one CSV record into fields (RFC 4180 quoting) and writes fields back, quoted when needed.</summary>
public static class CsvRecord
{
    public static string[] Split(ReadOnlySpan<char> record)
    {
        if (record.Length > 0 && record[^1] == '\r')
        {
            record = record[..^1];
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < record.Length && record[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    /// <summary>
    /// The field ranges of an unquoted UTF-8 record, split on commas into at most <paramref name="ranges"/>' length
    /// (the last range holds the rest of the record when there are more fields). Returns how many were written.
    /// </summary>
    public static int SplitUnquoted(ReadOnlySpan<byte> record, Span<Range> ranges)
    {
        if (ranges.IsEmpty)
        {
            return 0;
        }

        var count = 0;
        var start = 0;
        while (count < ranges.Length - 1)
        {
            var comma = record[start..].IndexOf((byte)',');
            if (comma < 0)
            {
                break;
            }

            ranges[count++] = start..(start + comma);
            start += comma + 1;
        }

        ranges[count++] = start..record.Length;
        return count;
    }

    public static void Append(StringBuilder line, string field)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(field);
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(field);
            return;
        }

        line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    public static string Join(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder();
        foreach (var field in fields)
        {
            if (line.Length > 0)
            {
                line.Append(',');
            }

            Append(line, field);
        }

        return line.ToString();
    }
}
