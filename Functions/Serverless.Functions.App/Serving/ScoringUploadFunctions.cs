using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting;
using Serverless.Hosting.Blobs;
using Serverless.Orchestrations;
using Serverless.Orchestrations.Scoring;
using Serverless.Storage;

namespace Serverless.Functions.Serving;

/// <summary>
/// The <c>scoring-input</c> container: <c>{model}/{file}.csv</c> starts batch scoring into
/// <c>scoring-output/{model}/{file}.predictions.csv</c> (and <c>.errors.csv</c>). The instance id derives from the
/// model, the path and the content hash, so the same file is scored once however often it is uploaded.
/// </summary>
public sealed partial class ScoringUploadFunctions(DurableTaskClient durable, ScoringInputScanner scanner, IOptions<ScoringContainers> containers, ILogger<ScoringUploadFunctions> logger)
{
    [Function("OnScoringInputUploaded")]
    public async Task RunAsync(
        [BlobTrigger("%Product:ScoringInputContainer%/{name}", Source = BlobTriggerSource.EventGrid)] Stream content,
        string blobTrigger,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        var blob = TriggeredBlob.Parse(blobTrigger);
        var model = blob.Owner;
        var path = blob.Path;
        if (StorageNames.DescribeInvalidResourceName("Model", model) is { } problem)
        {
            LogIgnored(logger, blob.Name, problem);
            return;
        }

        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            LogIgnored(logger, blob.Name, "only .csv files are scored");
            return;
        }

        // One read: the hash (the run's identity) and the row ranges the plan would otherwise stream the file again for.
        var scan = await scanner.ScanAsync(content, context.CancellationToken).ConfigureAwait(false);
        var hash = scan.ContentHash;
        var instanceId = ScoringPaths.InstanceId(model, path, hash);
        if (await durable.GetInstanceAsync(instanceId, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            LogAlreadyScored(logger, blob.Name, instanceId);
            return;
        }

        var request = new ScoringRequest(model, blob.Container, blob.Name, containers.Value.ScoringOutputContainer, model + "/" + path[..^".csv".Length], hash, instanceId, scan.Layout);
        try
        {
            var options = SingleInstance.Options(instanceId);
            await durable.ScheduleNewOrchestrationInstanceAsync(BatchScoring.Name, request, options, context.CancellationToken).ConfigureAwait(false);
            LogStarted(logger, instanceId, blob.Name);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            LogAlreadyScored(logger, blob.Name, instanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored scoring input {Blob}: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: the same content is already scored by {InstanceId}; not scoring again")]
    private static partial void LogAlreadyScored(ILogger logger, string blob, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started batch scoring {InstanceId} for {Blob}")]
    private static partial void LogStarted(ILogger logger, string instanceId, string blob);
}
