using System.Text.Json;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>Open Inference Protocol v2 REST: health, metadata and infer, for tabular and foreign models.</summary>
public sealed class OpenInferenceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private ServingHost _host = null!;

    public async Task InitializeAsync()
    {
        var source = new InMemoryModelSource()
            .Add("churn", 1, TestModels.Churn(), "production")
            .Add("churn", 2, TestModels.Churn(version: 2, bias: 3f))
            .Add("foreign", 1, TestModels.Foreign(), "production");
        _host = await ServingHost.StartAsync(source, azurite.Storage);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Health_and_server_metadata_answer()
    {
        Assert.True((await HttpJson.GetAsync(_host.Client, "/v2/health/live")).Body.GetProperty("live").GetBoolean());
        Assert.True((await HttpJson.GetAsync(_host.Client, "/v2/health/ready")).Body.GetProperty("ready").GetBoolean());
        var (status, server, _) = await HttpJson.GetAsync(_host.Client, "/v2");
        Assert.Equal(200, status);
        Assert.False(string.IsNullOrEmpty(server.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Array, server.GetProperty("extensions").ValueKind);
    }

    [Fact]
    public async Task Model_metadata_describes_columns_for_tabular_models_and_tensors_for_foreign_ones()
    {
        var (status, churn, _) = await HttpJson.GetAsync(_host.Client, "/v2/models/churn/versions/2");
        Assert.Equal(200, status);
        Assert.Equal("churn", churn.GetProperty("name").GetString());
        Assert.Equal("2", churn.GetProperty("versions")[0].GetString());
        var inputs = churn.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!, i => i.GetProperty("datatype").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["age"] = "FP32", ["active"] = "FP32", ["plan"] = "BYTES" }, inputs);
        var outputs = churn.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("datatype").GetString());
        Assert.Equal("BYTES", outputs["label"]);
        Assert.Equal("FP32", outputs["probabilities"]);

        var (_, production, _) = await HttpJson.GetAsync(_host.Client, "/v2/models/churn");
        Assert.Equal("1", production.GetProperty("versions")[0].GetString());

        var (_, foreign, _) = await HttpJson.GetAsync(_host.Client, "/v2/models/foreign");
        var x = foreign.GetProperty("inputs")[0];
        Assert.Equal("x", x.GetProperty("name").GetString());
        Assert.Equal("FP32", x.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 3L], x.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));

        Assert.True((await HttpJson.GetAsync(_host.Client, "/v2/models/churn/versions/2/ready")).Body.GetProperty("ready").GetBoolean());
        Assert.Equal(404, (await HttpJson.GetAsync(_host.Client, "/v2/models/nope")).Status);
        Assert.Equal(404, (await HttpJson.GetAsync(_host.Client, "/v2/models/churn/versions/7/ready")).Status);
    }

    [Fact]
    public async Task Infer_on_a_tabular_model_takes_one_input_per_column_and_honours_requested_outputs()
    {
        const string body = """
        { "id": "req-1",
          "inputs": [
            { "name": "age", "shape": [2, 1], "datatype": "FP32", "data": [[20], [70]] },
            { "name": "active", "shape": [2], "datatype": "BOOL", "data": [true, false] },
            { "name": "plan", "shape": [2], "datatype": "BYTES", "data": ["free", "pro"] } ] }
        """;

        var (status, json, response) = await HttpJson.PostAsync(_host.Client, "/v2/models/churn/versions/2/infer", body);

        Assert.True(status == 200, json.ToString());
        Assert.Equal("req-1", json.GetProperty("id").GetString());
        Assert.Equal("churn", json.GetProperty("model_name").GetString());
        Assert.Equal("2", json.GetProperty("model_version").GetString());
        Assert.Equal("2", response.Headers.GetValues("x-model-version").Single());
        var outputs = json.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        var probabilities = outputs["probabilities"];
        Assert.Equal([2L, 2L], probabilities.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var data = probabilities.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()).ToArray();
        Assert.Equal(TestModels.ExpectedChurnProbability(20, 1, "free", 3f), data[1], 4);
        Assert.Equal(TestModels.ExpectedChurnProbability(70, 0, "pro", 3f), data[3], 4);
        Assert.Equal("BYTES", outputs["label"].GetProperty("datatype").GetString());
        Assert.Equal(2, json.GetProperty("parameters").GetProperty("prediction_ids").GetArrayLength());

        var only = body.Replace("\"id\": \"req-1\",", "\"outputs\": [ { \"name\": \"label\" } ],", StringComparison.Ordinal);
        (status, json, _) = await HttpJson.PostAsync(_host.Client, "/v2/models/churn/infer", only);
        Assert.Equal(200, status);
        var single = Assert.Single(json.GetProperty("outputs").EnumerateArray());
        Assert.Equal("label", single.GetProperty("name").GetString());
        Assert.False(json.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Infer_on_a_foreign_model_runs_raw_tensors()
    {
        const string body = """
        { "id": "t", "inputs": [ { "name": "x", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6] } ],
          "outputs": [ { "name": "total" } ] }
        """;

        var (status, json, _) = await HttpJson.PostAsync(_host.Client, "/v2/models/foreign/infer", body);

        Assert.True(status == 200, json.ToString());
        var total = Assert.Single(json.GetProperty("outputs").EnumerateArray());
        Assert.Equal("total", total.GetProperty("name").GetString());
        Assert.Equal("FP32", total.GetProperty("datatype").GetString());
        Assert.Equal([2L], total.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([6.0, 15.0], total.GetProperty("data").EnumerateArray().Select(d => d.GetDouble()));
    }

    public static TheoryData<string, string, int, string> InferErrors => new()
    {
        { "foreign", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"INT64\", \"data\": [1, 2, 3] } ] }", 400, "Int64" },
        { "foreign", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3] } ] }", 400, "needs 6 values" },
        { "foreign", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, \"a\", 3] } ] }", 400, "element 1" },
        { "foreign", "{ \"inputs\": [ { \"name\": \"y\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3] } ] }", 400, "no input 'y'" },
        { "foreign", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP99\", \"data\": [1, 2, 3] } ] }", 400, "FP99" },
        { "foreign", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3] } ], \"outputs\": [ { \"name\": \"z\" } ] }", 400, "no output 'z'" },
        { "foreign", "{ \"inputs\": [] }", 400, "inputs" },
        { "foreign", "{ \"inputs\": [ ", 400, "Malformed JSON" },
        { "churn", "{ \"inputs\": [ { \"name\": \"age\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1] } ] }", 400, "'active'" },
        { "churn", "{ \"inputs\": [ { \"name\": \"age\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1] }, { \"name\": \"active\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 0] }, { \"name\": \"plan\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"a\"] } ] }", 400, "must be [1] or [1,1]" },
        { "churn", "{ \"inputs\": [ { \"name\": \"age\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"old\"] }, { \"name\": \"active\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1] }, { \"name\": \"plan\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"a\"] } ] }", 400, "'age'" },
        { "nope", "{ \"inputs\": [ { \"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1] } ] }", 404, "nope" },
    };

    [Theory]
    [MemberData(nameof(InferErrors))]
    public async Task Infer_errors_are_json_with_status_and_a_message(string model, string body, int expected, string mention)
    {
        var (status, json, _) = await HttpJson.PostAsync(_host.Client, $"/v2/models/{model}/infer", body);

        Assert.True(status == expected, $"{status} {json}");
        Assert.Contains(mention, json.GetProperty("error").GetString()!, StringComparison.Ordinal);
    }
}
