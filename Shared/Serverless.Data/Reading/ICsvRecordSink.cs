namespace Serverless.Data.Reading;

/// <summary>Receives the fields of a CSV file as the parser finds them.</summary>
internal interface ICsvRecordSink
{
    /// <param name="value">The field's text, unquoted and unescaped; only valid during the call.</param>
    /// <param name="quoted">The field was enclosed in quotes in the file.</param>
    void OnField(ReadOnlySpan<char> value, bool quoted);

    /// <param name="line">The 1-based line on which the record started.</param>
    void OnRecordEnd(long line);
}
