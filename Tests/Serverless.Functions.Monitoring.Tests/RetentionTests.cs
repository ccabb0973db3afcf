using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Orchestrations.Monitoring;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Housekeeping removes old logs and orphaned run folders, and nothing a registered version refers to.</summary>
public sealed class RetentionTests(MonitoringHost host) : IClassFixture<MonitoringHost>
{
    [Fact]
    public async Task Retention_removes_old_logs_and_orphaned_run_folders_only()
    {
        var tables = host.Services.GetRequiredService<ITableStore>();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var prefix = host.Host.Options.ProductPrefix;
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-40);
        var recent = now.AddDays(-2);
        var feedbackTable = prefix + "predictionfeedback";
        await tables.CreateTableIfNotExistsAsync(feedbackTable);
        foreach (var (time, id) in new[] { (old, "old1"), (old, "old2"), (recent, "recent1") })
        {
            await tables.UpsertAsync(feedbackTable, new TableEntity(PredictionLogStore.Partition("keeper", time), id, new Dictionary<string, object?> { ["Model"] = "keeper", ["Version"] = 1, ["PredictedAt"] = time }));
        }

        // Old predictions of two versions (two segments of one old hour), a recent one.
        var log = host.Services.GetRequiredService<PredictionLogStore>();
        await log.WriteAsync(
            [
                new PredictionLogEntry("old1", "keeper", 1, old, "{}", "1", null, 1, null),
                new PredictionLogEntry("old2", "keeper", 2, old, "{}", "1", null, 1, null),
                new PredictionLogEntry("recent1", "keeper", 1, recent, "{}", "1", null, 1, null),
            ],
            CancellationToken.None);

        var deliveries = prefix + "WebhookDeliveries";
        await tables.CreateTableIfNotExistsAsync(deliveries);
        foreach (var (time, eventId) in new[] { (old, "event-old"), (recent, "event-recent") })
        {
            await tables.UpsertAsync(deliveries, new TableEntity(eventId, "webhook-1", new Dictionary<string, object?> { ["Delivered"] = true, ["At"] = time }));
        }

        // A version registered by a run whose orchestration is gone: its run folder is referenced by lineage.
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        await registry.RegisterAsync(new ModelRegistration(
            "keeper",
            "train-keeper-v1-manual-00000001",
            new ModelSignature(TaskKind.Regression, "y", [new SignatureInput("x", ColumnKind.Numeric)]),
            new Dictionary<string, double> { ["rmse"] = 1 },
            new ModelLineage { Project = "keeper", RunId = "train-keeper-v1-manual-00000001" },
            new byte[] { 1, 2, 3 }), now);
        var artifacts = host.Host.Options.ArtifactsContainer;
        await blobs.CreateContainerIfNotExistsAsync(artifacts);
        await blobs.UploadTextAsync(artifacts, "runs/train-keeper-v1-manual-00000001/split/train.bin", "referenced");
        await blobs.UploadTextAsync(artifacts, "runs/train-gone-v1-manual-00000002/split/train.bin", "orphan");
        await blobs.UploadTextAsync(artifacts, "runs/train-gone-v1-manual-00000002/candidates/000/model.zip", "orphan");
        await blobs.UploadTextAsync(artifacts, "datasets/keeper/abc/profile.json", "{}");

        var result = await host.Services.GetRequiredService<Housekeeping>().RunAsync(CancellationToken.None);

        Assert.Equal(2, result.PredictionSegments);
        Assert.Equal(2, result.FeedbackRows);
        Assert.Equal(["runs/train-gone-v1-manual-00000002"], result.OrphanedRunFolders);
        Assert.Equal(1, result.WebhookDeliveryRecords);
        Assert.Null(await tables.GetAsync(deliveries, "event-old", "webhook-1"));
        Assert.NotNull(await tables.GetAsync(deliveries, "event-recent", "webhook-1"));
        Assert.Equal(["recent1"], (await log.ReadHourAsync("keeper", recent, CancellationToken.None)).Select(e => e.Id));
        Assert.Empty(await log.ReadHourAsync("keeper", old, CancellationToken.None));
        Assert.Null(await tables.GetAsync(feedbackTable, PredictionLogStore.Partition("keeper", old), "old1"));
        Assert.NotNull(await tables.GetAsync(feedbackTable, PredictionLogStore.Partition("keeper", recent), "recent1"));
        Assert.NotNull(await blobs.GetPropertiesAsync(artifacts, "runs/train-keeper-v1-manual-00000001/split/train.bin"));
        Assert.NotNull(await blobs.GetPropertiesAsync(artifacts, "datasets/keeper/abc/profile.json"));
        Assert.NotNull(await blobs.GetPropertiesAsync(artifacts, (await registry.GetVersionAsync("keeper", 1)).OnnxPath));
        Assert.Null(await blobs.GetPropertiesAsync(artifacts, "runs/train-gone-v1-manual-00000002/split/train.bin"));
        Assert.Null(await blobs.GetPropertiesAsync(artifacts, "runs/train-gone-v1-manual-00000002/candidates/000/model.zip"));
    }
}
