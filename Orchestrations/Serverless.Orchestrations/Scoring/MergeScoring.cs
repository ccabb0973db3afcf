using System.Text;
using Microsoft.DurableTask;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Makes <c>{file}.predictions.csv</c> and <c>{file}.errors.csv</c> out of the chunks' staged blocks: stages each
/// header as a block and commits header + chunk blocks in chunk order, one request per file, so no byte is copied and
/// no partial output is ever visible. Idempotent: committing the same list again gives the same blob.
/// </summary>
public sealed class MergeScoring(IBlobStore blobs, ScoringModels models) : TaskActivity<MergeWork, bool>
{
    private static readonly BlobWriteOptions Csv = new() { ContentType = "text/csv" };

    public override async Task<bool> RunAsync(TaskActivityContext context, MergeWork input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var model = await models.GetAsync(request.Model, input.Version, CancellationToken.None).ConfigureAwait(false);
        var columns = input.Header.Concat(ScoreChunk.PredictionColumns(model.Signature!));
        await CommitAsync(request, ScoringPaths.Predictions(request), CsvRecord.Join(columns), input.PredictionChunks, CancellationToken.None).ConfigureAwait(false);
        await CommitAsync(request, ScoringPaths.Errors(request), "row,column,message", input.ErrorChunks, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private async Task CommitAsync(ScoringRequest request, string output, string header, IReadOnlyList<int> chunks, CancellationToken cancellationToken)
    {
        var headerBlock = ScoringPaths.HeaderBlock(request);
        await blobs.StageBlockAsync(request.OutputContainer, output, headerBlock, Encoding.UTF8.GetBytes(header + "\n"), cancellationToken).ConfigureAwait(false);
        string[] blocks = [headerBlock, .. chunks.Order().Select(index => ScoringPaths.ChunkBlock(request, index))];
        await blobs.CommitBlockListAsync(request.OutputContainer, output, blocks, Csv, cancellationToken).ConfigureAwait(false);
    }
}
