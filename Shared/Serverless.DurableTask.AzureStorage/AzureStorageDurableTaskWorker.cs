using System.Diagnostics;
using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.DurableTask.AzureStorage;

/// <summary>
/// A Durable Task SDK worker (build target of <c>AddDurableTaskWorker(b => b.UseAzureStorage())</c>) that runs the
/// registered orchestrators and activities on DTFx's <see cref="TaskHubWorker"/> over the Azure Storage provider.
/// Failure details reach orchestrator code (<see cref="ErrorPropagationMode.UseFailureDetails"/>), so
/// <c>TaskFailedException.FailureDetails.IsCausedBy&lt;T&gt;()</c> works; DTFx writes W3C trace context into
/// history and emits <c>orchestration:</c>/<c>activity:</c> spans, which this worker always samples for propagation
/// so that activities can read their trace id even when no exporter records spans.
/// </summary>
public sealed class AzureStorageDurableTaskWorker : DurableTaskWorker
{
    private static readonly TimeSpan MaxStartRetryDelay = TimeSpan.FromSeconds(30);
    private readonly DurableTaskHub _hub;
    private readonly DurableTaskWorkerOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public AzureStorageDurableTaskWorker(
        string name,
        IDurableTaskFactory factory,
        IOptionsMonitor<DurableTaskWorkerOptions> options,
        DurableTaskHub hub,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
        : base(name, factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _options = options.Get(name);
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<AzureStorageDurableTaskWorker>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var propagation = TracePropagation.Listen();
        var shims = new DurableTaskShimFactory(_options, _loggerFactory);
        var worker = new TaskHubWorker(
            _hub.Service,
            new OrchestrationShims(Factory, shims, _services),
            new ActivityShims(Factory, shims, _services.GetRequiredService<IServiceScopeFactory>()),
            _loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        worker.AddOrchestrationDispatcherMiddleware(EpisodeMetering.InvokeAsync);
        using var gauges = new TaskHubGauges(_hub, _services.GetRequiredService<IQueueStore>(), _services.GetRequiredService<ITableStore>(), _logger);

        if (!await StartAsync(worker, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        DurableTaskLog.WorkerStarted(_logger, _hub.HubName, _hub.Settings.PartitionCount, _hub.Settings.WorkerId);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Forced: do not wait for running activities (a training candidate can take minutes); their work items
        // reappear after the work-item visibility timeout and run again elsewhere, as at-least-once allows.
        await worker.StopAsync(isForced: true).ConfigureAwait(false);
        DurableTaskLog.WorkerStopped(_logger, _hub.HubName);
    }

    /// <summary>Creates the task hub if needed and starts the dispatchers, retrying while storage is unreachable.</summary>
    private async Task<bool> StartAsync(TaskHubWorker worker, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _hub.Service.CreateIfNotExistsAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                await worker.StartAsync().WaitAsync(stoppingToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                DurableTaskLog.WorkerStartFailed(_logger, _hub.HubName, delay.TotalSeconds, e);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxStartRetryDelay.Ticks));
            }
        }

        return false;
    }
}
