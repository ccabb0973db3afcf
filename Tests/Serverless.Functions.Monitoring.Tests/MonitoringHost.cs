using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>The whole product on the real host, with fast webhook retries and the Prometheus exporter.</summary>
public sealed class MonitoringHost : FunctionsHostFixture
{
    public static readonly string[] Header = File.ReadLines(SharedData.PathOf("wine.csv")).First().Split(',');

    public static readonly double[][] Rows = File.ReadLines(SharedData.PathOf("wine.csv")).Skip(1)
        .Select(line => line.Split(',').Take(13).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    public static readonly string[] Labels = File.ReadLines(SharedData.PathOf("wine.csv")).Skip(1).Select(line => line.Split(',')[13]).ToArray();

    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
    {
        IncludeProduct = true,
        Settings = new Dictionary<string, string?>(options.Settings)
        {
            ["Monitoring:Webhooks:BaseDelay"] = "00:00:00.200",
            ["Monitoring:Webhooks:UseJitter"] = "false",
            ["OpenTelemetry:Exporter"] = "prometheus",
            ["Monitoring:Retention:OrphanGrace"] = "00:00:00",
            ["Product:Webhooks:AllowPrivateNetworks"] = "true", // the tests' webhook receivers are on loopback
        },
    };

    /// <summary>Uploads the spec and wine.csv for <paramref name="project"/> and waits until version 1 is in production.</summary>
    public async Task TrainWineAsync(string project, string spec)
    {
        var blobs = Services.GetRequiredService<IBlobStore>();
        var datasets = Host.Options.DatasetsContainer;
        await blobs.CreateContainerIfNotExistsAsync(datasets);
        await blobs.UploadTextAsync(datasets, $"{project}/project.json", spec);
        var admin = CreateClient();
        await WaitUntilAsync(async () => (await admin.GetAsync($"api/projects/{project}")).StatusCode == HttpStatusCode.OK, "the spec to apply");
        await blobs.UploadBytesAsync(datasets, $"{project}/2026/wine.csv", await File.ReadAllBytesAsync(SharedData.PathOf("wine.csv")));
        await WaitUntilAsync(async () =>
        {
            var model = await admin.GetAsync($"api/models/{project}");
            return model.StatusCode == HttpStatusCode.OK
                && (await model.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("aliases").TryGetProperty("production", out _);
        }, "a production model", TimeSpan.FromMinutes(4));
    }

    /// <summary>
    /// Logs every wine row as a prediction of version 1 a minute ago, with the chosen features shifted by three
    /// standard deviations; the output is the row's own label. The model's earlier log segments are deleted first, so a
    /// second call replaces the first.
    /// </summary>
    public async Task LogPredictionsAsync(string model, params string[] shifted)
    {
        var blobs = Services.GetRequiredService<IBlobStore>();
        var container = Host.Options.ProductPrefix + "predictionlog";
        await foreach (var segment in blobs.ListAsync(container, model + "/"))
        {
            await blobs.DeleteIfExistsAsync(container, segment.Name);
        }

        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        var indexes = shifted.Select(name => Array.IndexOf(Header, name)).ToArray();
        Assert.DoesNotContain(-1, indexes);
        var sd = indexes.ToDictionary(i => i, i => StandardDeviation(Rows.Select(r => r[i])));
        var entries = Rows.Select((row, n) =>
        {
            var inputs = Enumerable.Range(0, 13).ToDictionary(i => Header[i], i => sd.TryGetValue(i, out var s) ? row[i] + 3 * s : row[i]);
            return new PredictionLogEntry($"p{n:D4}", model, 1, time, JsonSerializer.Serialize(inputs), Labels[n], null, 1.0, null);
        }).ToList();
        await Services.GetRequiredService<PredictionLogStore>().WriteAsync(entries, CancellationToken.None);
    }

    /// <summary>Records feedback on <paramref name="count"/> predictions of version 1, of which <paramref name="wrong"/> were wrong.</summary>
    public async Task LogFeedbackAsync(string model, int count, int wrong)
    {
        var tables = Services.GetRequiredService<ITableStore>();
        var table = Host.Options.ProductPrefix + "predictionfeedback";
        await tables.CreateTableIfNotExistsAsync(table);
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        var entities = Enumerable.Range(0, count).Select(n => new TableEntity(PredictionLogStore.Partition(model, time), $"f{n:D4}", new Dictionary<string, object?>
        {
            ["Model"] = model,
            ["Version"] = 1,
            ["Predicted"] = n < wrong ? (Labels[n] == "class_0" ? "class_1" : "class_0") : Labels[n],
            ["Inputs"] = "{}",
            ["PredictedAt"] = time,
            ["Actual"] = Labels[n],
            ["ReceivedAt"] = DateTimeOffset.UtcNow,
        })).ToList();
        foreach (var chunk in entities.Chunk(100))
        {
            await tables.SubmitTransactionAsync(table, chunk.Select(TableOperation.Upsert).ToList());
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}.");
            }

            await Task.Delay(250);
        }
    }

    private static double StandardDeviation(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }
}
