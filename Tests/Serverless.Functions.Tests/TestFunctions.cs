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
        [BlobTrigger("%WatchedContainer%/{project}/{*path}")] Stream blob,
        string project,
        string path,
        string name,
        FunctionContext context)
    {
        using var reader = new StreamReader(blob);
        var content = await reader.ReadToEndAsync(context.CancellationToken);
        var etag = context.InstanceServices.GetRequiredService<IBlobStore>().GetPropertiesAsync(context.BindingContext.BindingData["BlobTrigger"]!.ToString()!.Split('/', 2)[0], name).Result!.ETag.Value;
        log.Add("CountUploads", $"{name}|{etag}|{project}|{path}|{content}");
    }
}

/// <summary>Always fails, to reach the poison threshold.</summary>
public sealed class AlwaysFailing(InvocationLog log)
{
    [Function("AlwaysFails")]
    public void Run([BlobTrigger("%FailingContainer%/{name}")] Stream blob, string name)
    {
        log.Add("AlwaysFails", name);
        throw new InvalidOperationException("This function always fails.");
    }
}

/// <summary>Blobs announced by Event Grid events on a queue.</summary>
public sealed class EventCounter(InvocationLog log)
{
    [Function("CountEvents")]
    public void Run([BlobTrigger("%EventContainer%/{name}", Source = BlobTriggerSource.EventGrid)] byte[] blob, string name) =>
        log.Add("CountEvents", name + "|" + blob.Length);
}

/// <summary>Records each occurrence it runs for.</summary>
public sealed class Ticker(InvocationLog log)
{
    [Function("Tick")]
    public void Run([TimerTrigger("%TickSchedule%")] TimerInfo timer) =>
        log.Add("Tick", $"{new DateTimeOffset(timer.ScheduleStatus!.Last, TimeSpan.Zero):o}|{timer.IsPastDue}");
}

/// <summary>HTTP functions at each authorization level, for the key matrix.</summary>
public sealed class Probes
{
    [Function("AnonymousProbe")]
    public object Anonymous([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/anonymous")] HttpRequest request, FunctionContext context) =>
        new ProbeAnswer(context.GetCaller().KeyName, context.GetCorrelationId(), null);

    [Function("ProjectProbe")]
    [RequiresKey(AuthorizationLevel.Function)]
    public IResult Project([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/projects/{project}/probe")] HttpRequest request, string project, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.GetCaller().KeyName, context.GetCorrelationId(), project));

    [Function("ModelProbe")]
    [RequiresKey(AuthorizationLevel.Function)]
    public IResult Model([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/models/{name}/probe")] HttpRequest request, string name, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.GetCaller().KeyName, context.GetCorrelationId(), name));

    [Function("AdminProbe")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public IResult Admin([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/probe/admin")] HttpRequest request, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.GetCaller().KeyName, context.GetCorrelationId(), null));

    [Function("ReadProbe")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Read)]
    public IResult Read([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/read")] HttpRequest request, FunctionContext context) =>
        Results.Ok(new ProbeAnswer(context.GetCaller().KeyName, context.GetCorrelationId(), null));

    /// <summary>Sends storage a malformed query: the storage SDK's error (status, error code, x-ms- headers) escapes.</summary>
    [Function("StorageFailureProbe")]
    public async Task<IResult> StorageFailure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/storage-failure")] HttpRequest request,
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
    public IResult Failing([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/probe/failing")] HttpRequest request) =>
        throw new InvalidOperationException("boom");
}

public sealed record ProbeAnswer(string? Caller, string CorrelationId, string? Project);

/// <summary>Whether <see cref="SlowFunction"/> blocks until cancelled (one per host).</summary>
public sealed record SlowGate(bool Block);

/// <summary>Blocks (when its gate says so) until the host cancels it.</summary>
public sealed class SlowFunction(InvocationLog log, SlowGate gate)
{
    [Function("Slow")]
    public async Task RunAsync([BlobTrigger("%SlowContainer%/{name}")] Stream blob, string name, CancellationToken cancellationToken)
    {
        log.Add("Slow-start", name);
        if (gate.Block)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        log.Add("Slow-done", name);
    }
}
