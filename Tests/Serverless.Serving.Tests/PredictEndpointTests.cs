using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Onnx;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>Every accepted body shape, over real HTTP, against a direct <see cref="OnnxModel.Score"/> of the same rows.</summary>
public sealed class PredictEndpointTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly double[] Age = [25, 61, double.NaN];
    private static readonly double[] Active = [1, 0, double.NaN];
    private static readonly string?[] Plan = ["free", "pro", null];

    private ServingHost _host = null!;

    public async Task InitializeAsync()
    {
        var source = new InMemoryModelSource()
            .Add("churn", 1, TestModels.Churn(), "production")
            .Add("price", 4, TestModels.Price(), "production");
        _host = await ServingHost.StartAsync(source, azurite.Storage);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> ChurnBodies => new()
    {
        { "instances", """{ "instances": [ { "age": 25, "active": true, "plan": "free" }, { "age": 61, "active": 0, "plan": "pro", "extra": [1] }, { "age": null, "active": null, "plan": null } ] }""" },
        { "dataframe_split", """{ "dataframe_split": { "columns": ["plan", "age", "active", "ignored"], "data": [["free", 25, 1, "x"], ["pro", "61", false, "y"], [null, null, null, null]] } }""" },
        { "dataframe_records", """{ "dataframe_records": [ { "age": "25", "active": "true", "plan": "free" }, { "age": 61.0, "active": "0", "plan": "pro" }, { "plan": null, "age": null, "active": null } ] }""" },
        { "inputs", """{ "inputs": { "age": [25, 61, null], "active": [1, 0, null], "plan": ["free", "pro", null] } }""" },
        { "bare list", """[ { "age": 25, "active": 1, "plan": "free" }, { "age": 61, "active": 0, "plan": "pro" }, { "age": null, "active": null, "plan": null } ]""" },
    };

    [Theory]
    [MemberData(nameof(ChurnBodies))]
    public async Task Each_json_shape_predicts_exactly_what_the_model_scores(string shape, string body)
    {
        var (status, json, response) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", body);

        Assert.True(status == 200, $"{shape}: {json}");
        AssertMatchesDirectScore(json);
        Assert.Equal("1", response.Headers.GetValues("x-model-version").Single());
    }

    [Fact]
    public async Task Csv_with_a_header_predicts_exactly_what_the_model_scores()
    {
        const string csv = "plan,age,active,unused\nfree,25,true,a\npro,61,0,b\n,,,c\n";

        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", csv, "text/csv");

        Assert.Equal(200, status);
        AssertMatchesDirectScore(json);
    }

    [Fact]
    public async Task Regression_answers_values_and_version_can_be_pinned()
    {
        var (status, json, response) = await HttpJson.PostAsync(_host.Client, "/api/models/price/predict?version=4",
            """{ "inputs": { "size": [10, 3.5], "rooms": [2, null], "city": ["b", "a"] } }""");

        Assert.Equal(200, status);
        Assert.Equal("price", json.GetProperty("model").GetString());
        Assert.Equal(4, json.GetProperty("version").GetInt32());
        Assert.Equal("4", response.Headers.GetValues("x-model-version").Single());
        var predictions = json.GetProperty("predictions");
        Assert.Equal(20 + 20 + 100 + 5, predictions[0].GetProperty("value").GetDouble(), 3);
        Assert.Equal(7 + 0 + 0 + 5, predictions[1].GetProperty("value").GetDouble(), 3);
        Assert.False(predictions[0].TryGetProperty("label", out _));
    }

    [Fact]
    public async Task Ids_are_unique_sortable_by_time_and_carry_their_hour()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", ChurnBodies.First()[1].ToString()!);
            ids.AddRange(json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var times = ids.Select(id => Predictions.PredictionId.TimeOf(id)!.Value).ToList();
        Assert.All(times, t => Assert.InRange(t, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal(times.OrderBy(t => t), times);
    }

    private static void AssertMatchesDirectScore(JsonElement json)
    {
        using var model = OnnxModel.Load(TestModels.Churn());
        var expected = model.Score(new TabularFrame(
        [
            new NumericColumn("age", Age),
            new NumericColumn("active", ColumnKind.Boolean, Active),
            new TextColumn("plan", ColumnKind.Categorical, Plan),
        ]));

        Assert.Equal("churn", json.GetProperty("model").GetString());
        Assert.Equal(1, json.GetProperty("version").GetInt32());
        var predictions = json.GetProperty("predictions");
        Assert.Equal(3, predictions.GetArrayLength());
        for (var row = 0; row < 3; row++)
        {
            var prediction = predictions[row];
            Assert.Equal(expected.Labels![row], prediction.GetProperty("label").GetString());
            Assert.Equal(expected.ProbabilitiesOf(row)[0], prediction.GetProperty("probabilities").GetProperty("no").GetSingle());
            Assert.Equal(expected.ProbabilitiesOf(row)[1], prediction.GetProperty("probabilities").GetProperty("yes").GetSingle());
            Assert.Equal(PredictionIdLength, prediction.GetProperty("id").GetString()!.Length);
        }
    }

    private const int PredictionIdLength = Predictions.PredictionId.Length;
}
