using System.Buffers;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Streams the input once to cut it into row ranges (byte offsets, quote-aware) and reads the version to use (the
/// production alias at the start). Memory stays at one read buffer, the header and the chunk list.
/// </summary>
public sealed class PlanScoring(IBlobStore blobs, ModelRegistry registry, IOptions<BatchScoringOptions> options) : TaskActivity<ScoringRequest, ScoringPlan>
{
    private const int MaxHeaderBytes = 1 << 20;

    public override async Task<ScoringPlan> RunAsync(TaskActivityContext context, ScoringRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = options.Value;
        var version = await registry.GetAliasAsync(input.Model, settings.Alias, CancellationToken.None).ConfigureAwait(false)
            ?? throw new ScoringInputException($"Model '{input.Model}' has no '{settings.Alias}' version to score {input.InputContainer}/{input.InputBlob} with.");

        await blobs.CreateContainerIfNotExistsAsync(input.OutputContainer, CancellationToken.None).ConfigureAwait(false);
        var boundaries = new CsvRowBoundaries();
        var chunks = new List<ScoringChunk>();
        using var header = new MemoryStream();
        long headerEnd = -1;
        long chunkStart = 0;
        long rows = 0;
        var chunkRows = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            await using var stream = await blobs.OpenReadAsync(input.InputContainer, input.InputBlob, CancellationToken.None).ConfigureAwait(false);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
            {
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

        if (chunkRows > 0)
        {
            chunks.Add(new ScoringChunk(chunks.Count, chunkStart, boundaries.Position, rows - chunkRows + 1, chunkRows));
        }

        var fields = CsvRecord.Split(Encoding.UTF8.GetString(header.GetBuffer(), 0, (int)header.Length).TrimStart('\uFEFF').TrimEnd('\n', '\r'));
        if (fields.All(string.IsNullOrWhiteSpace))
        {
            throw new ScoringInputException($"{input.InputContainer}/{input.InputBlob} has no header row.");
        }

        return new ScoringPlan(version, fields, rows, chunks, Math.Max(1, settings.Parallelism));

        void RecordEnded(long end)
        {
            if (headerEnd < 0)
            {
                headerEnd = end;
                chunkStart = end;
                return;
            }

            rows++;
            chunkRows++;
            if (chunkRows == settings.ChunkRows)
            {
                chunks.Add(new ScoringChunk(chunks.Count, chunkStart, end, rows - chunkRows + 1, chunkRows));
                chunkStart = end;
                chunkRows = 0;
            }
        }
    }
}
