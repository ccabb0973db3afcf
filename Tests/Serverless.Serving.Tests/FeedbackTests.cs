using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

public sealed class FeedbackTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ServingHost _host = null!;

    public async Task InitializeAsync()
    {
        var source = new InMemoryModelSource()
            .Add("churn", 5, TestModels.Churn(version: 5), "production")
            .Add("price", 1, TestModels.Price(), "production");
        _host = await ServingHost.StartAsync(source, azurite.Storage);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Feedback_joins_actuals_to_logged_predictions_by_id_and_reports_unknown_ids()
    {
        var (_, predicted, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict",
            """{ "instances": [ { "age": 80, "active": 1, "plan": "free" }, { "age": 20, "active": 0, "plan": "pro" } ] }""");
        var predictions = predicted.GetProperty("predictions");
        var ids = predictions.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
        await WaitUntilAsync(() => _host.Log.WrittenCount >= 2);
        var unknownButWellFormed = PredictionId.New(DateTimeOffset.UtcNow);
        var body = JsonSerializer.Serialize(new
        {
            items = new object[]
            {
                new { id = ids[0], actual = "yes" },
                new { id = ids[1], actual = "no" },
                new { id = unknownButWellFormed, actual = "no" },
                new { id = "not-an-id", actual = "no" },
            },
        });

        var (status, result, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/feedback", body);

        Assert.True(status == 200, result.ToString());
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(new[] { unknownButWellFormed, "not-an-id" }.Order(StringComparer.Ordinal), result.GetProperty("unknown").EnumerateArray().Select(u => u.GetString()!));
        var options = _host.Services.GetRequiredService<IOptions<PredictionLogOptions>>().Value;
        var stored = await azurite.Storage.Tables.GetAsync(options.FeedbackTableName, PredictionLogStore.PartitionOf("churn", ids[0])!, ids[0]);
        Assert.NotNull(stored);
        Assert.Equal("yes", stored.GetString("Actual"));
        Assert.Equal(predictions[0].GetProperty("label").GetString(), stored.GetString("Predicted"));
        Assert.Equal(5, stored.GetInt32("Version"));

        // The same ids under another model are not its predictions.
        var (_, other, _) = await HttpJson.PostAsync(_host.Client, "/api/models/price/feedback", JsonSerializer.Serialize(new { items = new[] { new { id = ids[0], actual = 3.5 } } }));
        Assert.Equal(0, other.GetProperty("accepted").GetInt32());
        Assert.Equal(ids[0], other.GetProperty("unknown")[0].GetString());
    }

    [Theory]
    [InlineData("""{ "items": [ { "id": "a", "actual": "x" }, { "id": 5, "actual": "x" } ] }""", "items[1].id")]
    [InlineData("""{ "items": [ { "id": "a", "actual": "x" }, { "id": "b", "actual": "x" }, { "id": "c" } ] }""", "items[2].actual")]
    [InlineData("""{ "items": [ { "id": "a", "actual": {"v": 1} } ] }""", "items[0].actual")]
    [InlineData("""{ "items": [ "a" ] }""", "items[0]")]
    [InlineData("""{ "items": [] }""", "empty")]
    [InlineData("""{ "feedback": [] }""", "items")]
    [InlineData("""{ "items": [ """, "Malformed JSON")]
    public async Task Malformed_feedback_is_400_naming_the_item(string body, string mention)
    {
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/feedback", body);

        Assert.Equal(400, status);
        Assert.Contains(mention, json.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
