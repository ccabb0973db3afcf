using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Http;

/// <summary>Once the server listens, logs every function with its trigger, as <c>func start</c> does.</summary>
public sealed partial class FunctionListing(
    FunctionCatalog catalog,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<HttpOptions> http,
    ILogger<FunctionListing> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One line per function: <c>Name: [GET,POST] http://host/api/route</c>, <c>Name: blobTrigger path</c>, <c>Name: timerTrigger schedule</c>.</summary>
    public IReadOnlyList<string> Describe()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:7071";
        return catalog.Functions.Select(f => f.Trigger switch
        {
            HttpTriggerAttribute t => $"{f.Name}: [{(t.Methods is not { Length: > 0 } methods ? "ALL" : string.Join(",", methods.Select(m => m.ToUpperInvariant())))}] {address.TrimEnd('/')}/{HttpFunctionEndpoints.RouteOf(f, http.Value.RoutePrefix)}",
            BlobTriggerAttribute b => $"{f.Name}: blobTrigger {b.BlobPath}" + (b.Source == BlobTriggerSource.EventGrid ? " (events)" : string.Empty),
            TimerTriggerAttribute t => $"{f.Name}: timerTrigger {t.Schedule}" + (t.RunOnStartup ? " (run on startup)" : string.Empty),
            _ => $"{f.Name}: {f.TriggerType}",
        }).ToList();
    }

    private void Print()
    {
        LogHeader(logger, catalog.Functions.Count);
        foreach (var line in Describe())
        {
            LogFunction(logger, line);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Functions ({Count}):")]
    private static partial void LogHeader(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "    {Function}")]
    private static partial void LogFunction(ILogger logger, string function);
}
