using System.Text;
using Microsoft.DurableTask;
using Serverless.Storage;

namespace Serverless.Orchestrations.Scoring;

/// <summary>
/// Joins the chunk outputs in order under one header into <c>{file}.predictions.csv</c> and <c>{file}.errors.csv</c>
/// (through a temporary file, so memory stays flat), then deletes the work folder. Idempotent.
/// </summary>
public sealed class MergeScoring(IBlobStore blobs, ScoringModels models) : TaskActivity<MergeWork, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, MergeWork input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request;
        var model = await models.GetAsync(request.Model, input.Version, CancellationToken.None).ConfigureAwait(false);
        var columns = input.Header.Concat(ScoreChunk.PredictionColumns(model.Signature!));
        await MergeAsync(request, CsvRecord.Join(columns), index => ScoringPaths.ChunkPredictions(request, index), ScoringPaths.Predictions(request), input.Chunks, CancellationToken.None).ConfigureAwait(false);
        await MergeAsync(request, "row,column,message", index => ScoringPaths.ChunkErrors(request, index), ScoringPaths.Errors(request), input.Chunks, CancellationToken.None).ConfigureAwait(false);

        await foreach (var blob in blobs.ListAsync(request.OutputContainer, ScoringPaths.WorkFolder(request), CancellationToken.None).ConfigureAwait(false))
        {
            await blobs.DeleteIfExistsAsync(request.OutputContainer, blob.Name, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    private async Task MergeAsync(ScoringRequest request, string header, Func<int, string> chunkPath, string output, int chunks, CancellationToken cancellationToken)
    {
        var path = Path.GetTempFileName();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await file.WriteAsync(Encoding.UTF8.GetBytes(header + "\n"), cancellationToken).ConfigureAwait(false);
        for (var index = 0; index < chunks; index++)
        {
            await using var part = await blobs.OpenReadAsync(request.OutputContainer, chunkPath(index), cancellationToken).ConfigureAwait(false);
            await part.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        file.Position = 0;
        await blobs.UploadAsync(request.OutputContainer, output, file, new BlobWriteOptions { ContentType = "text/csv" }, cancellationToken).ConfigureAwait(false);
    }
}
