using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting;
using Serverless.Storage;

namespace Serverless.Functions.Tests;

/// <summary>Counts blobs under the watched container, recording name, ETag and the captured project.</summary>
public sealed class UploadCounter(InvocationLog log)
{
    [Function("CountUploads")]
    public async Task RunAsync(
        [BlobTrigger("%WatchedContainer%/{project}/{*path}")] BlobTriggerContext blob,
        string project,
        FunctionContext context)
    {
        await using var stream = await blob.OpenReadAsync(context.CancellationToken);
        using var reader = new StreamReader(stream);
        var content = await reader.ReadToEndAsync(context.CancellationToken);
        log.Add("CountUploads", $"{blob.Name}|{blob.ETag.Value}|{project}|{blob.BindingData["path"]}|{content}");
    }
}

/// <summary>Always fails, to reach the poison threshold.</summary>
public sealed class AlwaysFailing(InvocationLog log)
{
    [Function("AlwaysFails")]
    public void Run([BlobTrigger("%FailingContainer%/{name}")] BlobTriggerContext blob)
    {
        log.Add("AlwaysFails", blob.Name);
        throw new InvalidOperationException("This function always fails.");
    }
}

/// <summary>Blobs announced by Event Grid events on a queue.</summary>
public sealed class EventCounter(InvocationLog log)
{
    [Function("CountEvents")]
    public void Run([BlobTrigger("%EventContainer%/{name}", Source = BlobTriggerSource.EventGrid)] BlobTriggerContext blob) =>
        log.Add("CountEvents", blob.Name + "|" + blob.Length);
}

/// <summary>Records each occurrence it runs for.</summary>
public sealed class Ticker(InvocationLog log)
{
    [Function("Tick")]
    public void Run([TimerTrigger("%TickSchedule%")] TimerInfo timer) =>
        log.Add("Tick", $"{timer.ScheduleStatus.Last:o}|{timer.IsPastDue}");
}

/// <summary>HTTP functions at each authorization level, for the key matrix.</summary>
public sealed class Probes
{
    [Function("AnonymousProbe")]
    public object Anonymous([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe/anonymous")] HttpRequest request, FunctionContext context) =>
        new ProbeAnswer(context.Caller.KeyName, context.CorrelationId, null);

    [Function("ProjectProbe")]
    public IResult Project([HttpTrigger(AuthorizationLevel.Function, "get", Route = "projects/{project}/probe")] HttpRequest request, string project, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.Caller.KeyName, context.CorrelationId, project));

    [Function("ModelProbe")]
    public IResult Model([HttpTrigger(AuthorizationLevel.Function, "get", Route = "models/{name}/probe")] HttpRequest request, string name, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.Caller.KeyName, context.CorrelationId, name));

    [Function("AdminProbe")]
    public IResult Admin([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "probe/admin")] HttpRequest request, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.Caller.KeyName, context.CorrelationId, null));

    [Function("ReadProbe")]
    [RequiresPermission(KeyPermissions.Read)]
    public IResult Read([HttpTrigger(AuthorizationLevel.Function, "get", Route = "probe/read")] HttpRequest request, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.Caller.KeyName, context.CorrelationId, null));

    /// <summary>Sends storage a malformed query: the storage SDK's error (status, error code, x-ms- headers) escapes.</summary>
    [Function("StorageFailureProbe")]
    public async Task<IResult> StorageFailure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe/storage-failure")] HttpRequest request,
        FunctionContext context)
    {
        var tables = context.InstanceServices.GetRequiredService<ITableStore>();
        var table = "probe" + Guid.NewGuid().ToString("N");
        await tables.CreateTableIfNotExistsAsync(table, context.CancellationToken);
        await foreach (var row in tables.QueryAsync(table, new TableQuery { Filter = "Name eq" }, context.CancellationToken))
        {
            return Results.Ok(row.RowKey);
        }

        return Results.Ok();
    }

    [Function("FailingProbe")]
    public IResult Failing([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "probe/failing")] HttpRequest request) =>
        throw new InvalidOperationException("boom");
}

public sealed record ProbeAnswer(string? Caller, string CorrelationId, string? Project);

/// <summary>Whether <see cref="SlowFunction"/> blocks until cancelled (one per host).</summary>
public sealed record SlowGate(bool Block);

/// <summary>Blocks (when its gate says so) until the host cancels it.</summary>
public sealed class SlowFunction(InvocationLog log, SlowGate gate)
{
    [Function("Slow")]
    public async Task RunAsync([BlobTrigger("%SlowContainer%/{name}")] BlobTriggerContext blob, CancellationToken cancellationToken)
    {
        log.Add("Slow-start", blob.Name);
        if (gate.Block)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        log.Add("Slow-done", blob.Name);
    }
}
