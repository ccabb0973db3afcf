using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Reading;

/// <summary>
/// Reads a Parquet file's flat columns: numbers become <c>double</c>, booleans 0/1, strings stay strings (typed
/// by inference like CSV text), timestamps become ISO 8601 strings of kind <see cref="ColumnKind.DateTime"/>.
/// </summary>
internal static class ParquetDatasetReader
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <param name="stream">A seekable stream positioned at the start of the file.</param>
    /// <param name="limits">
    /// Columns, rows, values, declared uncompressed bytes and string length allowed. Row counts in the file's
    /// metadata are not trusted: rows are counted group by group as they are read, and each group's declared
    /// count is checked against what is left of the limits before anything is allocated for it.
    /// </param>
    public static async Task<(IReadOnlyList<RawColumn> Columns, int Rows)> ReadAsync(Stream stream, string fileName, DatasetLimits limits, CancellationToken cancellationToken)
    {
        if (stream.Length == 0)
        {
            throw new DatasetFormatException(fileName, "is empty");
        }

        var head = new byte[4];
        var tail = new byte[4];
        if (stream.Length < 12 || !await ReadsMagicAsync(stream, 0, head, cancellationToken).ConfigureAwait(false)
            || !await ReadsMagicAsync(stream, stream.Length - 4, tail, cancellationToken).ConfigureAwait(false))
        {
            throw new DatasetFormatException(fileName, "is not a Parquet file (it lacks the PAR1 marker at its start and end)");
        }

        stream.Position = 0;
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            var fields = reader.Schema.GetDataFields();
            var nested = fields.FirstOrDefault(f => f.MaxRepetitionLevel > 0 || f.Path.ToList().Count > 1);
            if (nested is not null)
            {
                throw new DatasetFormatException(fileName, "has a nested or repeated column; only flat tables are supported", column: nested.Name);
            }

            if (fields.Length > limits.MaxColumns)
            {
                throw new DatasetFormatException(fileName,
                    $"has {DatasetLimits.Format(fields.Length)} columns, more than {DatasetLimits.Format(limits.MaxColumns)}, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxColumns))})");
            }

            var parts = fields.Select(_ => new List<RawColumn>()).ToArray();
            var rows = 0L;
            var uncompressed = 0L;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                uncompressed += group.RowGroup.Columns.Sum(c => Math.Max(0, c.MetaData?.TotalUncompressedSize ?? 0));
                var count = CheckGroup(fileName, group.RowCount, rows, fields.Length, uncompressed, limits);
                for (var f = 0; f < fields.Length; f++)
                {
                    var column = await ReadColumnAsync(group, fields[f], count, cancellationToken).ConfigureAwait(false);
                    CheckFieldLengths(fileName, column, rows, limits);
                    parts[f].Add(column);
                }

                rows += count;
            }

            if (rows == 0)
            {
                throw new DatasetFormatException(fileName, "has columns but no data rows");
            }

            var columns = parts.Select(Concatenate).ToList();
            return (columns, checked((int)rows));
        }
        catch (Exception e) when (e is not DatasetFormatException and not OperationCanceledException)
        {
            throw new DatasetFormatException(fileName, $"is not a readable Parquet file: {e.Message}", inner: e);
        }
    }

    /// <summary>The group's row count, once it is known to fit what is left of the limits (nothing is allocated before).</summary>
    private static int CheckGroup(string fileName, long declared, long rowsSoFar, int columns, long uncompressed, DatasetLimits limits)
    {
        if (declared < 0)
        {
            throw new DatasetFormatException(fileName, $"is not a readable Parquet file: a row group declares {declared} rows");
        }

        if (uncompressed > limits.MaxUncompressedBytes)
        {
            throw new DatasetFormatException(fileName,
                $"declares more than {DatasetLimits.Format(limits.MaxUncompressedBytes)} bytes of uncompressed column data, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxUncompressedBytes))})");
        }

        var rows = rowsSoFar + declared;
        if (rows > limits.MaxRows)
        {
            throw new DatasetFormatException(fileName,
                $"has more than {DatasetLimits.Format(limits.MaxRows)} data rows, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxRows))})");
        }

        if (rows * columns > limits.MaxCells)
        {
            throw new DatasetFormatException(fileName,
                $"has more than {DatasetLimits.Format(limits.MaxCells)} values (rows × columns), the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxCells))})");
        }

        return (int)declared;
    }

    private static void CheckFieldLengths(string fileName, RawColumn column, long rowsBefore, DatasetLimits limits)
    {
        if (column.Texts is not { } texts)
        {
            return;
        }

        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is { } text && text.Length > limits.MaxFieldLength)
            {
                throw new DatasetFormatException(fileName,
                    $"row {DatasetLimits.Format(rowsBefore + i + 1)} has a field longer than {DatasetLimits.Format(limits.MaxFieldLength)} characters, the limit (setting {DatasetLimits.Setting(nameof(DatasetLimits.MaxFieldLength))})",
                    column: column.Name);
            }
        }
    }

    private static async Task<bool> ReadsMagicAsync(Stream stream, long position, byte[] buffer, CancellationToken cancellationToken)
    {
        stream.Position = position;
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.AsSpan().SequenceEqual(Magic);
    }

    private static async Task<RawColumn> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            _ when type == typeof(double) => RawColumn.OfNumbers(field.Name, await NumbersAsync<double>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(float) => RawColumn.OfNumbers(field.Name, await NumbersAsync<float>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(int) => RawColumn.OfNumbers(field.Name, await NumbersAsync<int>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(long) => RawColumn.OfNumbers(field.Name, await NumbersAsync<long>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(short) => RawColumn.OfNumbers(field.Name, await NumbersAsync<short>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(byte) => RawColumn.OfNumbers(field.Name, await NumbersAsync<byte>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(sbyte) => RawColumn.OfNumbers(field.Name, await NumbersAsync<sbyte>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(decimal) => RawColumn.OfNumbers(field.Name, await NumbersAsync<decimal>(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(bool) => RawColumn.OfNumbers(field.Name, await BooleansAsync(group, field, count, ct).ConfigureAwait(false), ColumnKind.Boolean),
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => RawColumn.OfTexts(field.Name, await StringsAsync(group, field, count, ct).ConfigureAwait(false)),
            _ when type == typeof(DateTime) => RawColumn.OfTexts(field.Name, await FormattedAsync<DateTime>(group, field, count, ct).ConfigureAwait(false), ColumnKind.DateTime),
            _ when type == typeof(DateTimeOffset) => RawColumn.OfTexts(field.Name, await FormattedAsync<DateTimeOffset>(group, field, count, ct).ConfigureAwait(false), ColumnKind.DateTime),
            _ when type == typeof(DateOnly) => RawColumn.OfTexts(field.Name, await FormattedAsync<DateOnly>(group, field, count, ct).ConfigureAwait(false), ColumnKind.DateTime),
            _ => throw new NotSupportedException($"column '{field.Name}' has the unsupported Parquet type {type.Name}"),
        };
    }

    private static async Task<double[]> NumbersAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
        where T : struct, INumberBase<T>
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values.Select(v => v is { } x ? double.CreateSaturating(x) : double.NaN).ToArray();
    }

    private static async Task<double[]> BooleansAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var values = new bool?[count];
        await group.ReadAsync<bool>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values.Select(v => v switch { true => 1.0, false => 0.0, null => double.NaN }).ToArray();
    }

    private static async Task<string?[]> StringsAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        var pool = new StringPool();
        return values.Select(v => MissingValues.IsMissing(v) ? null : pool.Get(v)).ToArray();
    }

    private static async Task<string?[]> FormattedAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
        where T : struct, IFormattable
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values.Select(v => v?.ToString("o", CultureInfo.InvariantCulture)).ToArray();
    }

    private static RawColumn Concatenate(List<RawColumn> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var first = parts[0];
        return first.Numbers is not null
            ? first with { Numbers = parts.SelectMany(p => p.Numbers!).ToArray() }
            : first with { Texts = parts.SelectMany(p => p.Texts!).ToArray() };
    }
}
