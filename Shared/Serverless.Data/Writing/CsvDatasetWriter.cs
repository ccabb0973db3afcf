using System.Globalization;
using System.Text;
using Serverless.Data.Reading;

namespace Serverless.Data.Writing;

/// <summary>
/// Writes raw columns as a CSV file that <see cref="DatasetReader"/> reads back into the same columns: numbers
/// unquoted in round-trip form, texts quoted when they hold a delimiter, a quote, a line break, surrounding spaces
/// or look like a number (a quoted <c>"5"</c> stays a code), missing values as empty fields.
/// </summary>
public static class CsvDatasetWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="ArgumentException">No columns, or columns of different lengths (the message names the column).</exception>
    public static async Task WriteAsync(IReadOnlyList<RawColumn> columns, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(destination);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A CSV file needs at least one column.", nameof(columns));
        }

        var rows = columns[0].Length;
        if (columns.FirstOrDefault(c => c.Length != rows) is { } uneven)
        {
            throw new ArgumentException($"Column '{uneven.Name}' has {uneven.Length} values; column '{columns[0].Name}' has {rows}.", nameof(columns));
        }

        await using var writer = new StreamWriter(destination, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var line = new StringBuilder();
        await writer.WriteLineAsync(string.Join(',', columns.Select(c => Text(c.Name)))).ConfigureAwait(false);
        for (var row = 0; row < rows; row++)
        {
            line.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0)
                {
                    line.Append(',');
                }

                var column = columns[c];
                if (column.Numbers is { } numbers)
                {
                    if (double.IsFinite(numbers[row]))
                    {
                        line.Append(numbers[row].ToString("R", CultureInfo.InvariantCulture));
                    }
                }
                else if (column.Texts![row] is { } text)
                {
                    line.Append(Text(text));
                }
            }

            await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Text(string value)
    {
        var needsQuotes = value.Length == 0
            || value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])
            || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
