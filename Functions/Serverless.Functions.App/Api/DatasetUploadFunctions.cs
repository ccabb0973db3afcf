using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Serverless.Domain.Projects;
using Serverless.Hosting;
using Serverless.Hosting.Blobs;
using Serverless.Orchestrations.Training;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Functions.Api;

/// <summary>
/// The <c>datasets</c> container: <c>{project}/project.json</c> creates or replaces the project spec;
/// <c>{project}/{any/path}.csv|.csv.gz|.parquet</c> starts the training pipeline (<see cref="TrainingRuns.StartUploadAsync"/>).
/// The run's id derives from the project and the content hash, so the same content never trains twice: not while a run
/// of it is pending, running or suspended, nor after it finished while its instance is on record.
/// </summary>
public sealed partial class DatasetUploadFunctions(ProjectCatalog projects, TrainingRuns runs, TimeProvider time, ILogger<DatasetUploadFunctions> logger)
{
    private static readonly string[] DatasetExtensions = [".csv", ".csv.gz", ".tsv", ".parquet"];

    [Function("OnDatasetUploaded")]
    public async Task RunAsync(
        [BlobTrigger("%Product:DatasetsContainer%/{name}", Source = BlobTriggerSource.EventGrid)] Stream content,
        string blobTrigger,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        var blob = TriggeredBlob.Parse(blobTrigger);
        var project = blob.Owner;
        var path = blob.Path;
        if (StorageNames.DescribeInvalidResourceName("Project", project) is { } problem)
        {
            LogRejectedName(logger, blob.Name, problem);
            return;
        }

        if (string.Equals(path, "project.json", StringComparison.Ordinal))
        {
            await ApplySpecAsync(blob, content, project, context).ConfigureAwait(false);
        }
        else if (DatasetExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            await StartRunAsync(blob, content, project, context).ConfigureAwait(false);
        }
        else
        {
            LogIgnored(logger, blob.Name);
        }
    }

    private async Task ApplySpecAsync(TriggeredBlob blob, Stream content, string project, FunctionContext context)
    {
        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            var spec = ProjectSpecSerializer.Parse(text);
            await projects.PutAsync(project, spec, $"upload:{blob.Container}/{blob.Name}", time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
            LogSpecApplied(logger, project);
        }
        catch (ProjectSpecException e)
        {
            // The previous spec stays in force; the upload is reported, not applied.
            LogSpecRejected(logger, project, $"{blob.Container}/{blob.Name}", e.Message);
        }
    }

    private async Task StartRunAsync(TriggeredBlob blob, Stream content, string project, FunctionContext context)
    {
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, context.CancellationToken).ConfigureAwait(false));

        var started = await runs.StartUploadAsync(project, new DatasetSource(blob.Container, blob.Name, hash), context.GetCorrelationId(), context.CancellationToken).ConfigureAwait(false);
        if (!started.Started)
        {
            LogAlreadyTrained(logger, $"{blob.Container}/{blob.Name}", started.RunId!);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored blob {Blob}: {Problem}")]
    private static partial void LogRejectedName(ILogger logger, string blob, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored blob {Blob}: not a dataset (.csv, .csv.gz, .tsv, .parquet) nor project.json")]
    private static partial void LogIgnored(ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Project}: spec applied from project.json")]
    private static partial void LogSpecApplied(ILogger logger, string project);

    [LoggerMessage(Level = LogLevel.Error, Message = "Project {Project}: {Blob} was not applied, the previous spec stays: {Problem}")]
    private static partial void LogSpecRejected(ILogger logger, string project, string blob, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Blob}: the same content already has run {RunId}; not training again")]
    private static partial void LogAlreadyTrained(ILogger logger, string blob, string runId);
}
