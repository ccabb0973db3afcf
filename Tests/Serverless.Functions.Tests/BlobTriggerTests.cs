using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

public sealed class BlobTriggerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan PickUp = TimeSpan.FromSeconds(10);

    private IBlobStore Blobs => azurite.Storage.Blobs;

    [Fact]
    public async Task A_blob_invokes_once_never_again_unchanged_even_after_a_restart_and_again_when_changed()
    {
        var container = AzuriteFixture.UniqueName("data");
        await Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        var options = Options(log, container, typeof(UploadCounter));

        var first = await FunctionsTestHost.StartAsync(options);
        await using (first)
        {
            var uploaded = DateTime.UtcNow;
            var blob = await Blobs.UploadTextAsync(container, "wine/2026/red.csv", "v1");
            Assert.True(await Eventually.WaitAsync(() => log.Count("CountUploads") == 1, PickUp));
            Assert.True(DateTime.UtcNow - uploaded < TimeSpan.FromSeconds(4), "picked up within a couple of seconds");
            Assert.Equal($"wine/2026/red.csv|{Bare(blob.ETag)}|wine|2026/red.csv|v1", log.Of("CountUploads").Single());
            await Task.Delay(2500); // several more scans
            Assert.Equal(1, log.Count("CountUploads"));
        }

        var restarted = await FunctionsTestHost.StartAsync(options);
        await using (restarted)
        {
            await Task.Delay(2500);
            Assert.Equal(1, log.Count("CountUploads")); // the receipt survives the restart

            var changed = await Blobs.UploadTextAsync(container, "wine/2026/red.csv", "v2");
            Assert.True(await Eventually.WaitAsync(() => log.Count("CountUploads") == 2, PickUp));
            Assert.EndsWith($"|{Bare(changed.ETag)}|wine|2026/red.csv|v2", log.Of("CountUploads")[1], StringComparison.Ordinal);
            await Blobs.UploadTextAsync(container, "outside-pattern.csv", "not matched: no project segment");
            await Task.Delay(1500);
            Assert.Equal(2, log.Count("CountUploads"));
        }
    }

    [Fact]
    public async Task Two_hosts_on_one_storage_invoke_each_blob_once()
    {
        var container = AzuriteFixture.UniqueName("data");
        await Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        var options = Options(log, container, typeof(UploadCounter));
        await using var a = await FunctionsTestHost.StartAsync(options);
        await using var b = await FunctionsTestHost.StartAsync(options);

        var names = Enumerable.Range(0, 8).Select(i => $"p{i % 2}/file-{i}.csv").ToList();
        await Task.WhenAll(names.Select(n => Blobs.UploadTextAsync(container, n, n)));
        Assert.True(await Eventually.WaitAsync(() => log.Count("CountUploads") >= names.Count, PickUp));
        await Task.Delay(2500);
        var invoked = log.Of("CountUploads").Select(e => e.Split('|')[0]).ToList();
        Assert.Equal(names.Order(), invoked.Order());
    }

    [Fact]
    public async Task A_blob_failing_five_times_goes_to_the_poison_queue_and_is_not_retried()
    {
        using var spans = new SpanCapture();
        var container = AzuriteFixture.UniqueName("fail");
        await Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        await using var host = await FunctionsTestHost.StartAsync(Options(log, container, typeof(AlwaysFailing)) with
        {
            Settings = new Dictionary<string, string?> { ["FailingContainer"] = container },
        });

        var blob = await Blobs.UploadTextAsync(container, "broken.csv", "x");
        JsonElement? poison = null;
        Assert.True(await Eventually.WaitAsync(async () => (poison = await FindPoisonAsync(container)) is not null, TimeSpan.FromSeconds(20)));
        var message = poison!.Value;
        Assert.Equal("Host.Functions.AlwaysFails", message.GetProperty("FunctionId").GetString());
        Assert.Equal("BlockBlob", message.GetProperty("BlobType").GetString());
        Assert.Equal("broken.csv", message.GetProperty("BlobName").GetString());
        Assert.Equal(Bare(blob.ETag), Bare(new ETag(message.GetProperty("ETag").GetString()!)));
        Assert.Equal(5, log.Count("AlwaysFails"));
        await Task.Delay(2500);
        Assert.Equal(5, log.Count("AlwaysFails"));

        // One span per attempt, each failed and each the root of its own trace.
        var attempts = spans.Where(s => s.OperationName == "blob:AlwaysFails" && (string?)s.GetTagItem("blob.container") == container).ToList();
        Assert.Equal([1, 2, 3, 4, 5], attempts.Select(s => (int)s.GetTagItem("blob.attempt")!).Order());
        Assert.All(attempts, s => Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, s.Status));
        Assert.Equal(5, attempts.Select(s => s.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task Event_mode_dispatches_blob_created_events_from_a_queue_once()
    {
        using var spans = new SpanCapture();
        var container = AzuriteFixture.UniqueName("events");
        var queue = AzuriteFixture.UniqueName("events");
        await Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        await using var host = await FunctionsTestHost.StartAsync(Options(log, container, typeof(EventCounter)) with
        {
            Settings = new Dictionary<string, string?>
            {
                ["EventContainer"] = container,
                ["AzureFunctionsJobHost:extensions:blobs:eventQueueName"] = queue,
            },
        });

        await Blobs.UploadTextAsync(container, "big/one.parquet", "12345");
        await Task.Delay(1500);
        Assert.Equal(0, log.Count("CountEvents")); // event mode does not list the container

        var gridEvent = JsonSerializer.Serialize(new
        {
            topic = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
            subject = $"/blobServices/default/containers/{container}/blobs/big/one.parquet",
            eventType = "Microsoft.Storage.BlobCreated",
            id = Guid.NewGuid(),
            data = new { url = $"http://127.0.0.1:10000/devstoreaccount1/{container}/big/one.parquet", api = "PutBlob" },
            dataVersion = "",
            eventTime = DateTimeOffset.UtcNow,
        });
        await azurite.Storage.Queues.SendAsync(queue, gridEvent);
        await azurite.Storage.Queues.SendAsync(queue, gridEvent); // delivered twice: still one invocation
        await azurite.Storage.Queues.SendAsync(queue, "{\"eventType\":\"Microsoft.Storage.BlobDeleted\",\"subject\":\"x\"}");
        Assert.True(await Eventually.WaitAsync(() => log.Count("CountEvents") == 1, PickUp));
        Assert.True(await Eventually.WaitAsync(async () => await azurite.Storage.Queues.GetApproximateCountAsync(queue) == 0, PickUp));
        Assert.Equal(["big/one.parquet|5"], log.Of("CountEvents"));
        var span = Assert.Single(spans.Where(s => s.OperationName == "blob:CountEvents" && (string?)s.GetTagItem("blob.container") == container));
        Assert.Equal("big/one.parquet", span.GetTagItem("blob.name"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, span.Status);
    }

    private FunctionsTestHostOptions Options(InvocationLog log, string container, Type functions) => new()
    {
        StorageConnectionString = azurite.ConnectionString,
        HostId = "blobs-" + container,
        FunctionClasses = [functions],
        Settings = new Dictionary<string, string?> { ["WatchedContainer"] = container },
        ConfigureServices = services => services.AddSingleton(log),
    };

    /// <summary>Upload results quote ETags, listings do not.</summary>
    private static string Bare(ETag etag) => etag.Value.Trim('"');

    private async Task<JsonElement?> FindPoisonAsync(string container)
    {
        var messages = await azurite.Storage.Queues.ReceiveAsync("webjobs-blobtrigger-poison", 32, TimeSpan.FromSeconds(1));
        foreach (var message in messages)
        {
            using var document = JsonDocument.Parse(message.Body);
            if (document.RootElement.GetProperty("ContainerName").GetString() == container)
            {
                return document.RootElement.Clone();
            }
        }

        return null;
    }
}
