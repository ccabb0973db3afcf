using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Reads a scoring input once to both hash it (SHA-256, the run's identity) and cut it into row ranges of
/// <see cref="BatchScoringOptions.ChunkRows"/> (byte offsets, quote-aware), so the trigger's hash and the plan's scan
/// are one pass over the file. Memory stays at one read buffer, the header and the chunk list.
/// </summary>
public sealed class ScoringInputScanner(IOptions<BatchScoringOptions> options)
{
    private const int MaxHeaderBytes = 1 << 20;

    public async Task<ScannedInput> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var chunkRows = Math.Max(1, options.Value.ChunkRows);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var boundaries = new CsvRowBoundaries();
        var chunks = new List<ScoringChunk>();
        using var header = new MemoryStream();
        long headerEnd = -1;
        long chunkStart = 0;
        long rows = 0;
        var rowsInChunk = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                var position = boundaries.Position;
                boundaries.Feed(buffer.AsSpan(0, read), RecordEnded);
                if (header.Length < MaxHeaderBytes && (headerEnd < 0 || headerEnd > position))
                {
                    var take = headerEnd < 0 ? read : (int)(headerEnd - position);
                    header.Write(buffer, 0, Math.Min(take, MaxHeaderBytes));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A last record without a trailing newline.
        if (boundaries.Position > Math.Max(chunkStart, headerEnd))
        {
            RecordEnded(boundaries.Position);
        }

        if (rowsInChunk > 0)
        {
            chunks.Add(new ScoringChunk(chunks.Count, chunkStart, boundaries.Position, rows - rowsInChunk + 1, rowsInChunk));
        }

        var fields = CsvRecord.Split(Encoding.UTF8.GetString(header.GetBuffer(), 0, (int)header.Length).TrimStart('\uFEFF').TrimEnd('\n', '\r'));
        return new ScannedInput(Convert.ToHexStringLower(hash.GetHashAndReset()), new ScoringLayout(fields, rows, chunks));

        void RecordEnded(long end)
        {
            if (headerEnd < 0)
            {
                headerEnd = end;
                chunkStart = end;
                return;
            }

            rows++;
            rowsInChunk++;
            if (rowsInChunk == chunkRows)
            {
                chunks.Add(new ScoringChunk(chunks.Count, chunkStart, end, rows - rowsInChunk + 1, rowsInChunk));
                chunkStart = end;
                rowsInChunk = 0;
            }
        }
    }
}

/// <summary>What one pass over a scoring input found: its SHA-256 (lowercase hex) and its layout.</summary>
public sealed record ScannedInput(string ContentHash, ScoringLayout Layout);
