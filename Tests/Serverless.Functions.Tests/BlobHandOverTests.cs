using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Blobs;
using Serverless.Hosting.Configuration;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>What happens to a blob whose host stops or dies mid-invocation.</summary>
public sealed class BlobHandOverTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_stopping_host_releases_its_invocation_so_another_host_takes_it_at_once()
    {
        var container = AzuriteFixture.UniqueName("slow");
        await azurite.Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        var hostId = AzuriteFixture.UniqueName("host");

        var blocking = await FunctionsTestHost.StartAsync(Options(log, container, hostId, block: true));
        await azurite.Storage.Blobs.UploadTextAsync(container, "model.onnx", "x");
        Assert.True(await Eventually.WaitAsync(() => log.Count("Slow-start") == 1, TimeSpan.FromSeconds(10)));
        var stopping = Stopwatch.StartNew();
        await blocking.DisposeAsync(); // drain timeout 1 s, then cancelled and released
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopped in {stopping.Elapsed}");
        Assert.Equal(0, log.Count("Slow-done"));

        var handedOver = Stopwatch.StartNew();
        await using var next = await FunctionsTestHost.StartAsync(Options(log, container, hostId, block: false));
        Assert.True(await Eventually.WaitAsync(() => log.Count("Slow-done") == 1, TimeSpan.FromSeconds(10)));
        Assert.True(handedOver.Elapsed < TimeSpan.FromSeconds(10), "taken over without waiting for the lease to expire");
    }

    [Fact]
    public async Task A_blob_leased_by_a_dead_host_runs_once_its_lease_expires()
    {
        var container = AzuriteFixture.UniqueName("dead");
        await azurite.Storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        var hostId = AzuriteFixture.UniqueName("host");
        await azurite.Storage.Blobs.UploadTextAsync(container, "orphan.csv", "x");
        var blob = await azurite.Storage.Blobs.ListAsync(container).SingleAsync();
        var receipts = new BlobReceiptStore(azurite.Storage.Blobs, Microsoft.Extensions.Options.Options.Create(new FunctionsHostOptions { HostId = hostId }));
        Assert.True(await azurite.Storage.Leases.TryAcquireAsync("azure-webjobs-hosts", receipts.LockName("Slow", blob), Guid.NewGuid().ToString(), TimeSpan.FromSeconds(15)));
        var leased = Stopwatch.StartNew();

        await using var host = await FunctionsTestHost.StartAsync(Options(log, container, hostId, block: false));
        await Task.Delay(3000);
        Assert.Equal(0, log.Count("Slow-start")); // the dead host's lease still holds it
        Assert.True(await Eventually.WaitAsync(() => log.Count("Slow-done") == 1, TimeSpan.FromSeconds(25)));
        Assert.True(leased.Elapsed >= TimeSpan.FromSeconds(14));
        await Task.Delay(1500);
        Assert.Equal(1, log.Count("Slow-start"));
    }

    private FunctionsTestHostOptions Options(InvocationLog log, string container, string hostId, bool block) => new()
    {
        StorageConnectionString = azurite.ConnectionString,
        HostId = hostId,
        FunctionClasses = [typeof(SlowFunction)],
        Settings = new Dictionary<string, string?> { ["SlowContainer"] = container, ["Host:DrainTimeout"] = "00:00:01" },
        ConfigureServices = services => services.AddSingleton(log).AddSingleton(new SlowGate(block)),
    };
}
