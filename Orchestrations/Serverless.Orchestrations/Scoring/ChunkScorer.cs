using System.Diagnostics;
using System.Text;
using Serverless.Domain.Models;
using Serverless.Onnx;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Scores one chunk's UTF-8 CSV bytes with no storage: cuts them into records (quote-aware), parses each into
/// <see cref="ScoringFrameBuilder"/>, scores the good rows in one ONNX run, and writes the predictions (each scored
/// record as it came, or its fields re-quoted, then <c>prediction_id</c> and the prediction) and the refused rows
/// (<c>row,column,message</c>) into the given buffers. Empty records are skipped but counted as rows.
/// </summary>
public static class ChunkScorer
{
    /// <summary>Scores <paramref name="text"/>, whose first record is data row <paramref name="firstRow"/> (1-based).</summary>
    public static ChunkScore Score(ReadOnlySpan<byte> text, long firstRow, OnnxModel model, ScoringFrameBuilder builder, ReadOnlySpan<byte> idPrefix, Utf8CsvBuffer predictions, Utf8CsvBuffer errors)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(errors);
        var clock = Stopwatch.StartNew();
        var (records, bad) = Parse(text, firstRow, builder, errors);
        var parsed = clock.Elapsed;
        var scored = parsed;
        if (builder.Count > 0)
        {
            var scores = model.Score(builder.Build());
            scored = clock.Elapsed;
            Format(text, records, scores, idPrefix, predictions);
        }

        return new ChunkScore(records.Count, bad, parsed, scored - parsed, clock.Elapsed - scored);
    }

    /// <summary>
    /// Cuts the chunk into records and adds each to <paramref name="builder"/>: a line without quotes (or a carriage
    /// return before its end) is a record read in place from its bytes; a line with a quote is cut quote-aware (its
    /// record may span lines), decoded and split. Refused rows go to <paramref name="errors"/> as
    /// <c>row,column,message</c>; empty records are skipped but counted as rows.
    /// </summary>
    private static (List<ParsedRecord> Records, long Bad) Parse(ReadOnlySpan<byte> text, long firstRow, ScoringFrameBuilder builder, Utf8CsvBuffer errors)
    {
        var records = new List<ParsedRecord>(Math.Max(16, builder.Capacity));
        long bad = 0;
        var row = firstRow;
        Span<Range> ranges = new Range[builder.MaxPosition + 2];
        var start = 0;
        while (start < text.Length)
        {
            var newline = text[start..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? text.Length : start + newline;
            var line = text[start..lineEnd];
            var special = line.IndexOfAny((byte)'"', (byte)'\r');
            var recordStart = start;
            (string Column, string Message)? problem;
            string[]? fields = null;
            ReadOnlySpan<byte> record;
            if (special < 0 || (special == line.Length - 1 && line[special] == (byte)'\r'))
            {
                // No quote and no carriage return but a last one: split on commas, written back as it came.
                start = newline < 0 ? text.Length : lineEnd + 1;
                record = special < 0 ? line : line[..^1];
                if (record.Length == 0)
                {
                    row++;
                    continue;
                }

                var count = CsvRecord.SplitUnquoted(record, ranges);
                problem = builder.TryAdd(record, ranges[..count]);
            }
            else
            {
                var end = RecordEnd(text, start);
                line = text[start..end];
                line = line.Length > 0 && line[^1] == (byte)'\n' ? line[..^1] : line;
                record = line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
                start = end;
                if (record.Length == 0)
                {
                    row++;
                    continue;
                }

                fields = CsvRecord.Split(Encoding.UTF8.GetString(line));
                problem = builder.TryAdd(fields);
            }

            if (problem is { } refused)
            {
                bad++;
                errors.Append(row).Append((byte)',').AppendField(refused.Column).Append((byte)',').AppendField(refused.Message).Append((byte)'\n');
            }
            else
            {
                records.Add(new ParsedRecord(recordStart, record.Length, fields, row));
            }

            row++;
        }

        return (records, bad);
    }

    /// <summary>Each scored record as it came (or its fields re-quoted), then its prediction id and prediction.</summary>
    private static void Format(ReadOnlySpan<byte> text, List<ParsedRecord> records, ModelPredictions predictions, ReadOnlySpan<byte> idPrefix, Utf8CsvBuffer output)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Fields is null)
            {
                output.Append(text.Slice(record.Start, record.Length)).Append((byte)',');
            }
            else
            {
                foreach (var field in record.Fields)
                {
                    output.AppendField(field).Append((byte)',');
                }
            }

            output.Append(idPrefix).Append(record.Row).Append((byte)',');
            if (predictions.Task == TaskKind.Regression)
            {
                output.AppendValue(predictions.Values![i]);
            }
            else
            {
                output.AppendField(predictions.Labels![i]);
                if (predictions.Classes is { Count: > 0 } && predictions.Probabilities is not null)
                {
                    foreach (var p in predictions.ProbabilitiesOf(i))
                    {
                        output.Append((byte)',').AppendValue(p);
                    }
                }
            }

            output.Append((byte)'\n');
        }
    }

    /// <summary>The index just after the <c>\n</c> ending the record at <paramref name="start"/> (quote-aware), or the text's end.</summary>
    private static int RecordEnd(ReadOnlySpan<byte> text, int start)
    {
        var inQuotes = false;
        var i = start;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                return text.Length;
            }

            i += next;
            if (text[i] == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>A good row of the chunk: its bytes (or its fields, when it was quoted) and its 1-based row number.</summary>
    private readonly record struct ParsedRecord(int Start, int Length, string[]? Fields, long Row);
}

/// <summary>What <see cref="ChunkScorer.Score"/> did: rows scored and refused, and the time each phase took.</summary>
public readonly record struct ChunkScore(long Scored, long Bad, TimeSpan Parse, TimeSpan Score, TimeSpan Format);
