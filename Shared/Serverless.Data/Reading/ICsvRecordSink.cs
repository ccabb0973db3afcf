namespace Serverless.Data.Reading;

/// <summary>Receives the fields of a CSV file as the parser finds them.</summary>
internal interface ICsvRecordSink
{
    /// <param name="value">The field's text, unquoted and unescaped; only valid during the call.</param>
    /// <param name="quoted">The field was enclosed in quotes in the file.</param>
    void OnField(ReadOnlySpan<char> value, bool quoted);

    /// <param name="line">The 1-based line on which the record started.</param>
    void OnRecordEnd(long line);

    /// <summary>The name of the column the field at <paramref name="fieldIndex"/> belongs to, once the header is read; else null.</summary>
    string? ColumnName(int fieldIndex);
}
