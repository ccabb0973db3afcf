using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>Bad requests get a 4xx naming what was wrong; never a 500.</summary>
public sealed class ErrorMatrixTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ServingHost _host = null!;

    public async Task InitializeAsync()
    {
        var source = new InMemoryModelSource()
            .Add("churn", 1, TestModels.Churn(), "production")
            .Add("foreign", 1, TestModels.Foreign(), "production")
            .Add("corrupt", 1, [8, 1, 18, 3, 1, 2], "production");
        _host = await ServingHost.StartAsync(source, azurite.Storage, services => services.Configure<ServingOptions>(o =>
        {
            o.MaxRequestBytes = 4096;
            o.MaxRows = 20;
        }));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, int, string[]> Cases => new()
    {
        { "malformed JSON", """{ "instances": [ { "age": 1, } ] }""", 400, ["Malformed JSON", "line 1"] },
        { "string for a number", """{ "instances": [ { "age": 1, "active": 1, "plan": "pro" }, { "age": "old", "active": 1, "plan": "pro" } ] }""", 400, ["Row 1", "'age'", "'old'"] },
        { "object in a cell", """{ "dataframe_split": { "columns": ["age", "active", "plan"], "data": [[1, 1, "pro"], [2, 0, "free"], [3, 1, {"a": 1}]] } }""", 400, ["Row 2", "'plan'", "object"] },
        { "boolean out of range", """{ "inputs": { "age": [1, 2], "active": [1, 2], "plan": ["a", "b"] } }""", 400, ["Row 1", "'active'", "boolean"] },
        { "missing column", """{ "instances": [ { "age": 1, "plan": "pro" } ] }""", 400, ["Missing column", "'active'"] },
        { "empty rows", """{ "instances": [] }""", 400, ["no rows"] },
        { "no shape key", """{ "rows": [] }""", 400, ["instances", "dataframe_split"] },
        { "two shape keys", """{ "instances": [], "inputs": {} }""", 400, ["more than one"] },
        { "ragged split", """{ "dataframe_split": { "columns": ["age", "active", "plan"], "data": [[1, 1]] } }""", 400, ["Row 0", "3 values"] },
        { "ragged inputs", """{ "inputs": { "age": [1, 2], "active": [1], "plan": ["a", "b"] } }""", 400, ["inputs.active", "1 values"] },
        { "record not an object", """{ "dataframe_records": [ 1 ] }""", 400, ["Row 0", "object"] },
        { "too many rows", "{ \"inputs\": { \"age\": [" + string.Join(",", Enumerable.Range(0, 21)) + "], \"active\": [], \"plan\": [] } }", 400, ["inputs.active"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_bodies_are_rejected_with_a_message_naming_the_problem(string name, string body, int status, string[] mentions)
    {
        var (actual, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", body);

        Assert.True(actual == status, $"{name}: {actual} {json}");
        var error = json.GetProperty("error").GetString()!;
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Empty_body_missing_csv_column_and_ragged_csv_are_400()
    {
        Assert.Equal(400, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", string.Empty)).Status);
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", "age,plan\n1,pro\n", "text/csv");
        Assert.Equal(400, status);
        Assert.Contains("'active'", json.GetProperty("error").GetString()!, StringComparison.Ordinal);
        (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", "age,active,plan\n1,1,pro\n2,x,free\n", "text/csv");
        Assert.Equal(400, status);
        Assert.Contains("Row 1", json.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_rows_and_oversized_bodies_are_413()
    {
        var rows = string.Join(",", Enumerable.Range(0, 21).Select(i => $$"""{ "age": {{i}}, "active": 1, "plan": "pro" }"""));
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", "{ \"instances\": [" + rows + "] }");
        Assert.Equal(413, status);
        Assert.Contains("at most 20", json.GetProperty("error").GetString()!, StringComparison.Ordinal);

        var big = "{ \"instances\": [ { \"age\": 1, \"active\": 1, \"plan\": \"" + new string('x', 5000) + "\" } ] }";
        (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", big);
        Assert.Equal(413, status);
        Assert.Contains("4096 bytes", json.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_models_versions_and_aliases_are_404_and_bad_names_or_versions_400()
    {
        const string body = """{ "instances": [ { "age": 1, "active": 1, "plan": "pro" } ] }""";
        Assert.Equal(404, (await HttpJson.PostAsync(_host.Client, "/api/models/nope/predict", body)).Status);
        Assert.Equal(404, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict?version=9", body)).Status);
        Assert.Equal(404, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict?alias=staging", body)).Status);
        Assert.Equal(400, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict?version=one", body)).Status);
        Assert.Equal(400, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict?version=1&alias=production", body)).Status);
        Assert.Equal(400, (await HttpJson.PostAsync(_host.Client, "/api/models/Bad_Name/predict", body)).Status);
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/foreign/predict", body);
        Assert.Equal(400, status);
        Assert.Contains("/v2/models/foreign", json.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_model_that_cannot_load_is_a_server_error_with_a_message_and_the_host_keeps_serving()
    {
        const string body = """{ "instances": [ { "age": 1, "active": 1, "plan": "pro" } ] }""";
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/corrupt/predict", body);
        Assert.Equal(500, status);
        Assert.Contains("could not be loaded", json.GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Equal(200, (await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", body)).Status);
    }

    [Fact]
    public async Task Nulls_are_imputed_and_numbers_as_strings_are_accepted()
    {
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict",
            """{ "instances": [ { "age": "30.5", "active": "false", "plan": null } ] }""");

        Assert.Equal(200, status);
        var yes = json.GetProperty("predictions")[0].GetProperty("probabilities").GetProperty("yes").GetDouble();
        Assert.Equal(TestModels.ExpectedChurnProbability(30.5, 0, null), yes, 4);
    }

    [Fact]
    public async Task Random_garbage_never_gets_a_500()
    {
        var random = new Random(7);
        string[] bodies =
        [
            "null", "[]", "[null]", "\"text\"", "42", "{\"instances\": {}}", "{\"inputs\": [1,2]}", "{\"inputs\": {\"age\": 5}}",
            "{\"dataframe_split\": []}", "{\"dataframe_split\": {\"columns\": [1], \"data\": [[1]]}}", "{\"instances\": [[1, 2, 3]]}",
            "{\"instances\": [{\"age\": 1e999, \"active\": 1, \"plan\": \"x\"}]}", "{\"instances\": [{\"age\": [1], \"active\": 1, \"plan\": \"x\"}]}",
            new string('[', 500), "{\"instances\": [{\"age\": 1, \"active\": 1, \"plan\": 7}]}",
        ];
        foreach (var body in bodies.Concat(Enumerable.Range(0, 20).Select(_ => JsonSerializer.Serialize(new string((char)random.Next(32, 127), random.Next(1, 30))))))
        {
            var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/api/models/churn/predict", body);
            Assert.True(status is 200 or 400 or 413, $"{body} → {status} {json}");
            if (status != 200)
            {
                Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
            }
        }
    }
}
