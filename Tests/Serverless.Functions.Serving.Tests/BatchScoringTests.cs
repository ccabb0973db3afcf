using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Orchestrations.Scoring;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

/// <summary>Batch scoring on the real host: a 100k-row CSV upload is scored in chunks, equal to /predict, bad rows reported.</summary>
[Collection(ServingCollection.Name)]
public sealed class BatchScoringTests(ServingProductHost host)
{
    private const int Rows = 100_000;
    private const int BadRow = 4_321;

    [Fact]
    public async Task A_csv_upload_is_scored_completely_like_predict_with_bad_rows_reported_and_only_once()
    {
        await host.EnsureModelsAsync();
        var (csv, sourceRows) = GenerateCsv();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var input = host.Host.Options.ScoringInputContainer;
        var output = host.Host.Options.ScoringOutputContainer;
        await blobs.CreateContainerIfNotExistsAsync(input);
        await blobs.UploadBytesAsync(input, "wine/batch.csv", csv);

        var instanceId = ScoringPaths.InstanceId("wine", "batch.csv", Convert.ToHexStringLower(SHA256.HashData(csv)));
        var admin = host.CreateClient();
        JsonElement status = default;
        await ServingProductHost.WaitUntilAsync(async () =>
        {
            var response = await admin.GetAsync($"runtime/webhooks/durabletask/instances/{instanceId}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            status = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(status.GetProperty("runtimeStatus").GetString() != "Failed", status.ToString());
            return status.GetProperty("runtimeStatus").GetString() == "Completed";
        }, "batch scoring to complete", TimeSpan.FromMinutes(3));

        var custom = status.GetProperty("customStatus");
        Assert.Equal(1, custom.GetProperty("version").GetInt32());
        Assert.Equal(Rows, custom.GetProperty("rows").GetInt64());
        Assert.Equal(Rows - 1, custom.GetProperty("rowsScored").GetInt64());
        Assert.Equal(1, custom.GetProperty("badRows").GetInt64());
        Assert.True(custom.GetProperty("chunksTotal").GetInt32() > 1);
        Assert.Equal(custom.GetProperty("chunksTotal").GetInt32(), custom.GetProperty("chunksDone").GetInt32());

        var errors = (await blobs.DownloadTextAsync(output, "wine/batch.errors.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,column,message", errors[0]);
        Assert.Single(errors.Skip(1));
        Assert.StartsWith($"{BadRow},alcohol,", errors[1], StringComparison.Ordinal);
        Assert.Contains("'not-a-number'", errors[1], StringComparison.Ordinal);

        var predictions = new List<string[]>();
        string[] header;
        await using (var stream = await blobs.OpenReadAsync(output, "wine/batch.predictions.csv"))
        using (var reader = new StreamReader(stream))
        {
            header = (await reader.ReadLineAsync())!.Split(',');
            while (await reader.ReadLineAsync() is { } line)
            {
                predictions.Add(line.Split(','));
            }
        }

        Assert.Equal(Rows - 1, predictions.Count);
        Assert.Equal(["prediction_id", "label", "probability_class_0", "probability_class_1", "probability_class_2"], header[^5..]);
        Assert.DoesNotContain(predictions, p => p[0] == "not-a-number" || p.Contains("not-a-number"));
        Assert.Equal(predictions.Count, predictions.Select(p => p[^5]).Distinct().Count());

        // Sampled rows equal /predict on the same inputs.
        var features = header.Take(13).ToArray();
        foreach (var index in new[] { 0, 1, 777, BadRow - 1, BadRow, 50_000, Rows - 2 })
        {
            var row = predictions[index];
            var instance = features.Select((name, i) => (name, value: double.Parse(row[i], CultureInfo.InvariantCulture))).ToDictionary(p => p.name, p => (object)p.value);
            var response = await admin.PostAsJsonAsync("api/models/wine/predict?version=1", new { instances = new[] { instance } });
            var online = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0];
            Assert.Equal(online.GetProperty("label").GetString(), row[^4]);
            var probabilities = online.GetProperty("probabilities");
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(probabilities.GetProperty($"class_{c}").GetDouble(), double.Parse(row[row.Length - 3 + c], CultureInfo.InvariantCulture), 5);
            }
        }

        Assert.Equal(sourceRows[0], string.Join(',', predictions[0][..14]));

        // The same file again is not scored twice; another file still is.
        var first = await blobs.GetPropertiesAsync(output, "wine/batch.predictions.csv");
        await blobs.UploadBytesAsync(input, "wine/batch.csv", csv);
        var small = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(csv).Split('\n').Take(11).Aggregate((a, b) => a + "\n" + b) + "\n");
        await blobs.UploadBytesAsync(input, "wine/small.csv", small);
        await ServingProductHost.WaitUntilAsync(async () => await blobs.GetPropertiesAsync(output, "wine/small.predictions.csv") is not null, "the small file to be scored", TimeSpan.FromMinutes(1));
        await Task.Delay(2000);
        Assert.Equal(first!.ETag, (await blobs.GetPropertiesAsync(output, "wine/batch.predictions.csv"))!.ETag);
        Assert.Equal(11, (await blobs.DownloadTextAsync(output, "wine/small.predictions.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Empty(await blobs.ListAsync(output, "_work/").ToListAsync());
    }

    private static (byte[] Csv, List<string> Rows) GenerateCsv()
    {
        var lines = File.ReadAllLines(SharedData.PathOf("wine.csv"));
        var data = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        var text = new StringBuilder(lines[0]).Append('\n');
        var rows = new List<string>(Rows);
        for (var i = 1; i <= Rows; i++)
        {
            var fields = data[i % data.Length].Split(',');

            // Vary the rows a little so that chunks are not copies of each other.
            fields[0] = (double.Parse(fields[0], CultureInfo.InvariantCulture) + (i % 7) * 0.01).ToString("R", CultureInfo.InvariantCulture);
            if (i == BadRow)
            {
                fields[0] = "not-a-number";
            }

            var line = string.Join(',', fields);
            rows.Add(line);
            text.Append(line).Append('\n');
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), rows);
    }
}
