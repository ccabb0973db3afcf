using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Registry;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
using Serverless.Serving.Traffic;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Serving.Tests;

/// <summary>Canary and shadow traffic over real HTTP against real ONNX models, set and cleared through the admin API.</summary>
[Collection(ServingCollection.Name)]
public sealed class TrafficTests(ServingProductHost host)
{
    private const string Model = ServingProductHost.Model;

    [Fact]
    public async Task A_canary_answers_its_share_and_each_response_says_which_version_answered()
    {
        await host.EnsureModelsAsync();
        var admin = host.CreateClient();
        var set = await admin.PutAsJsonAsync($"api/models/{Model}/traffic", new { canary = new { version = 2, share = 0.3 }, reason = "try v2" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var read = await admin.GetFromJsonAsync<JsonElement>($"api/models/{Model}/traffic");
        Assert.Equal(0.3, read.GetProperty("canary").GetProperty("share").GetDouble());

        var challenger = 0;
        for (var i = 0; i < 200; i++)
        {
            var (version, id) = await PredictAsync(admin);
            Assert.Equal(CanarySplit.ToChallenger(id, 0.3) ? 2 : 1, version);
            challenger += version == 2 ? 1 : 0;
        }

        Assert.InRange(challenger, 40, 80);

        // Open Inference Protocol infer on the model follows the same split; infer on a named version does not.
        var inferred = new HashSet<int>();
        for (var i = 0; i < 40; i++)
        {
            var (version, id) = await InferAsync(admin, $"v2/models/{Model}/infer");
            Assert.Equal(CanarySplit.ToChallenger(id, 0.3) ? 2 : 1, version);
            inferred.Add(version);
            Assert.Equal(1, (await InferAsync(admin, $"v2/models/{Model}/versions/1/infer")).Version);
        }

        Assert.Equal([1, 2], inferred.Order());

        var cleared = await admin.DeleteAsync($"api/models/{Model}/traffic?reason=enough");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(1, (await PredictAsync(admin)).Version);
        }

        var audit = await host.Services.GetRequiredService<ModelRegistry>().GetAuditLogAsync(Model, ModelRegistry.TrafficAuditName);
        Assert.Equal("enough", audit[0].Reason);
        Assert.Equal("cleared", audit[0].Detail);
        Assert.Equal(2, audit[0].FromVersion);
        Assert.Equal("try v2", audit[1].Reason);
        Assert.Contains("\"share\":0.3", audit[1].Detail, StringComparison.Ordinal);
        Assert.Equal(2, audit[1].ToVersion);
        Assert.All(audit.Take(2), change => Assert.False(string.IsNullOrEmpty(change.Actor)));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/models/{Model}/traffic")).StatusCode);
    }

    [Fact]
    public async Task A_shadow_scores_the_same_rows_for_the_log_only()
    {
        await host.EnsureModelsAsync();
        var admin = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/models/{Model}/traffic", new { shadow = new { version = 2 } })).StatusCode);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                var (version, id) = await PredictAsync(admin);
                Assert.Equal(1, version);
                ids.Add(id);
            }

            var log = host.Services.GetRequiredService<PredictionLogStore>();
            var logged = new List<PredictionLogEntry>();
            await ServingProductHost.WaitUntilAsync(async () =>
            {
                logged.Clear();
                foreach (var hour in ids.Select(id => PredictionLogSegments.Hour(PredictionId.TimeOf(id)!.Value)).Distinct())
                {
                    logged.AddRange(await log.ReadHourAsync(Model, hour, CancellationToken.None));
                }

                return logged.Count(entry => entry.Shadow && ids.Contains(entry.PrimaryId!)) == ids.Count;
            }, "the shadow predictions in the log");

            var shadows = logged.Where(entry => entry.Shadow && ids.Contains(entry.PrimaryId!)).ToList();
            Assert.All(shadows, entry => Assert.Equal(2, entry.Version));
            var primary = logged.Single(entry => entry.Id == ids[0]);
            var mirror = shadows.Single(entry => entry.PrimaryId == ids[0]);
            Assert.False(primary.Shadow);
            Assert.Equal(primary.Output, mirror.Output);
            Assert.Equal(primary.Inputs, mirror.Inputs);
        }
        finally
        {
            await admin.DeleteAsync($"api/models/{Model}/traffic");
        }
    }

    [Fact]
    public async Task A_shadow_that_throws_never_fails_a_request()
    {
        await host.EnsureModelsAsync();
        var admin = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/models/{Model}/traffic", new { shadow = new { version = 3 } })).StatusCode);
        try
        {
            var requests = Enumerable.Range(0, 20).Select(_ => PredictAsync(admin));
            Assert.All(await Task.WhenAll(requests), answer => Assert.Equal(1, answer.Version));
        }
        finally
        {
            await admin.DeleteAsync($"api/models/{Model}/traffic");
        }
    }

    [Fact]
    public async Task A_bad_policy_is_rejected_naming_the_field()
    {
        await host.EnsureModelsAsync();
        var admin = host.CreateClient();
        var share = await admin.PutAsJsonAsync($"api/models/{Model}/traffic", new { canary = new { version = 2, share = 1.5 } });
        Assert.Equal(HttpStatusCode.BadRequest, share.StatusCode);
        Assert.Contains("canary.share", await share.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await admin.PutAsJsonAsync($"api/models/{Model}/traffic", new { canary = new { version = 99, share = 0.5 } });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PutAsJsonAsync($"api/models/{Model}/traffic", new { shadow = new { version = 2 } })).StatusCode);
    }

    internal static async Task<(int Version, string Id)> PredictAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync($"api/models/{Model}/predict", new { instances = new[] { WineRow() } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = body.GetProperty("version").GetInt32();
        Assert.Equal(version.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("x-model-version").Single());
        return (version, body.GetProperty("predictions")[0].GetProperty("id").GetString()!);
    }

    private static async Task<(int Version, string Id)> InferAsync(HttpClient client, string route)
    {
        var inputs = WineRow().Select(p => new { name = p.Key, datatype = "FP64", shape = new[] { 1 }, data = new[] { p.Value } });
        var response = await client.PostAsJsonAsync(route, new { id = "canary-check", inputs });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = int.Parse(body.GetProperty("model_version").GetString()!, CultureInfo.InvariantCulture);
        return (version, body.GetProperty("parameters").GetProperty("prediction_ids")[0].GetString()!);
    }

    private static Dictionary<string, object> WineRow()
    {
        var lines = File.ReadLines(SharedData.PathOf("wine.csv")).Take(2).ToList();
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        return header.Take(13).Select((name, i) => (name, value: double.Parse(row[i], CultureInfo.InvariantCulture))).ToDictionary(p => p.name, p => (object)p.value);
    }
}
