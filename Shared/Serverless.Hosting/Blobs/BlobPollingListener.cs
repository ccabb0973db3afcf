using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Background;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Health;
using Serverless.Storage;

namespace Serverless.Hosting.Blobs;

/// <summary>
/// Finds new and changed blobs for container-scan blob triggers by listing each watched container every
/// <see cref="BlobsOptions.PollingInterval"/>. Versions already settled in this process are remembered, so a
/// scan reads receipts only for versions it has not seen finish.
/// </summary>
public sealed partial class BlobPollingListener(
    FunctionCatalog catalog,
    IBlobStore blobs,
    BlobTriggerDispatcher dispatcher,
    WorkerHealth health,
    IOptions<BlobsOptions> options,
    IOptions<FunctionsHostOptions> host,
    TimeProvider time,
    ILogger<BlobPollingListener> logger) : BackgroundService
{
    public const string WorkerName = "blob-listener";

    private readonly ConcurrentDictionary<string, ETag> _settled = new(StringComparer.Ordinal);
    private readonly InFlightInvocations _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var targets = BlobTriggerTarget.From(catalog, BlobTriggerSource.LogsAndContainerScan, options.Value);
        if (targets.Count == 0)
        {
            return;
        }

        await Task.Yield();
        health.Healthy(WorkerName);
        var backoff = Backoff.ForStorage();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var target in targets)
                {
                    await ScanAsync(target, stoppingToken).ConfigureAwait(false);
                }

                backoff.Reset();
                health.Healthy(WorkerName);
                await Task.Delay(options.Value.PollingInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                health.Faulted(WorkerName, e);
                LogScanFailed(logger, e);
                try
                {
                    await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (!await _inFlight.DrainAsync(host.Value.DrainTimeout).ConfigureAwait(false))
        {
            LogDrainTimedOut(logger, host.Value.DrainTimeout.TotalSeconds);
        }

        health.Stopped(WorkerName);
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    private async Task ScanAsync(BlobTriggerTarget target, CancellationToken stoppingToken)
    {
        var function = target.Function;
        await foreach (var blob in blobs.ListAsync(target.Path.Container, target.Path.ListPrefix, stoppingToken).ConfigureAwait(false))
        {
            var key = $"{function.Name}|{blob.Container}|{blob.Name}";
            if (_settled.TryGetValue(key, out var settled) && settled == blob.ETag)
            {
                continue;
            }

            if (target.Path.Match(blob.Container, blob.Name) is not { } bindingData)
            {
                continue;
            }

            _inFlight.TryStart(key + "|" + blob.ETag.Value, () => DispatchAsync(target, blob, bindingData, key, stoppingToken));
        }
    }

    private async Task DispatchAsync(BlobTriggerTarget target, BlobItem blob, IReadOnlyDictionary<string, string> bindingData, string key, CancellationToken stoppingToken)
    {
        try
        {
            await target.Slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var outcome = await dispatcher.DispatchAsync(target.Function, blob, bindingData, stoppingToken, _inFlight.Cancellation).ConfigureAwait(false);
            if (outcome is BlobDispatchOutcome.Completed or BlobDispatchOutcome.AlreadyProcessed or BlobDispatchOutcome.Poisoned)
            {
                _settled[key] = blob.ETag;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogDispatchFailed(logger, e, target.Function.Name, blob.Container, blob.Name);
        }
        finally
        {
            target.Slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning blob containers failed (storage unavailable?); retrying with backoff")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatching '{Function}' for {Container}/{Blob} failed; it is retried on a later scan")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string function, string container, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob invocations did not finish within {Seconds} s of stopping; they were cancelled and their leases released")]
    private static partial void LogDrainTimedOut(ILogger logger, double seconds);
}
