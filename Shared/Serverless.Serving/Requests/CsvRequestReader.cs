using System.Runtime.InteropServices;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Sylvan.Data.Csv;

namespace Serverless.Serving.Requests;

/// <summary>
/// Reads <c>text/csv</c> with a header row; an empty field is a missing value. The fast path converts each field from
/// the reader's buffer straight into its column (no string per numeric cell, no row arrays); on any problem the general
/// pass reads the body again and names it, so the errors (and which one wins) are the general pass's.
/// </summary>
internal static class CsvRequestReader
{
    public static TabularFrame Read(ReadOnlyMemory<byte> body, ModelSignature signature, int maxRows)
    {
        try
        {
            return ReadFast(body, signature, maxRows);
        }
        catch (ServingRequestException)
        {
            return ReadGeneral(body, signature, maxRows);
        }
    }

    internal static TabularFrame ReadFast(ReadOnlyMemory<byte> body, ModelSignature signature, int maxRows)
    {
        using var text = new StreamReader(Open(body));
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        var wanted = Wanted(csv, signature);
        var columns = signature.Inputs.Select(input => new ColumnValues(input, 1)).ToArray();
        var rows = 0;
        while (csv.Read())
        {
            if (rows == maxRows || csv.RowFieldCount != csv.FieldCount)
            {
                throw new ServingRequestException("Not the fast path.");
            }

            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].EnsureRows(rows + 1);
                columns[c].SetText(rows, csv.GetFieldSpan(wanted[c]));
            }

            rows++;
        }

        PredictionRequestReader.CheckRows(rows, maxRows);
        return new TabularFrame(columns.Select(c => c.ToColumn(rows)).ToList());
    }

    private static int[] Wanted(CsvDataReader csv, ModelSignature signature)
    {
        var header = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        var wanted = signature.Inputs.Select(input => Array.IndexOf(header, input.Name)).ToArray();
        return wanted.Contains(-1) ? throw new ServingRequestException("A column is missing.") : wanted;
    }

    private static MemoryStream Open(ReadOnlyMemory<byte> body) => MemoryMarshal.TryGetArray(body, out var segment)
        ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
        : new MemoryStream(body.ToArray(), writable: false);

    internal static TabularFrame ReadGeneral(ReadOnlyMemory<byte> body, ModelSignature signature, int maxRows)
    {
        using var text = new StreamReader(Open(body));
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true });
        var header = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        var wanted = signature.Inputs.Select(input => Array.IndexOf(header, input.Name)).ToArray();
        var missing = signature.Inputs.Where((_, i) => wanted[i] < 0).Select(input => $"'{input.Name}'").ToList();
        if (missing.Count > 0)
        {
            throw new ServingRequestException($"The CSV header lacks column{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}; the model needs: {string.Join(", ", signature.Inputs.Select(i => i.Name))}.");
        }

        var rows = new List<string[]>();
        while (csv.Read())
        {
            if (rows.Count == maxRows)
            {
                throw ServingRequestException.TooLarge($"The CSV has more than {maxRows} rows; at most {maxRows} are accepted per request (use batch scoring for more).");
            }

            if (csv.RowFieldCount != header.Length)
            {
                throw new ServingRequestException($"Row {rows.Count} (0-based, after the header) has {csv.RowFieldCount} fields; the header has {header.Length}.");
            }

            rows.Add(wanted.Select(csv.GetString).ToArray());
        }

        PredictionRequestReader.CheckRows(rows.Count, maxRows);
        var columns = signature.Inputs.Select(input => new ColumnValues(input, rows.Count)).ToArray();
        for (var row = 0; row < rows.Count; row++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c].SetText(row, rows[row][c]);
            }
        }

        return new TabularFrame(columns.Select(c => c.ToColumn()).ToList());
    }
}
