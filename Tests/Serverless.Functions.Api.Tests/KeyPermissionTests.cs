using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Orchestrations.Training;
using Serverless.Orchestrations.Training.Records;
using Serverless.Registry;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Issue 14 items 11 and 12 on the whole product over HTTP: what a key limited to permissions can reach (predict,
/// feedback, read), and that a key scoped to a project never sees another project's runs, even pending ones.
/// </summary>
public sealed class KeyPermissionTests(ProductHost host) : IClassFixture<ProductHost>
{
    private const string Model = "linear";

    private static readonly object PredictBody = new { instances = new[] { new { x1 = 1.0, x2 = 1.0 } } };

    [Fact]
    public async Task A_predict_key_predicts_but_cannot_download_the_model_read_runs_or_write_feedback()
    {
        await RegisterLinearModelAsync();
        using var predict = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("app"), permissions = new[] { "predict" } }));

        using (var prediction = await predict.PostAsJsonAsync($"api/models/{Model}/predict", PredictBody))
        {
            Assert.Equal(HttpStatusCode.OK, prediction.StatusCode);
            var value = (await prediction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0].GetProperty("value").GetDouble();
            Assert.Equal(0.0, value, 3); // 2*1 - 3*1 + 1
        }

        using (var metadata = await predict.GetAsync($"v2/models/{Model}"))
        {
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        }

        await AssertRefusedAsync(predict.GetAsync($"api/models/{Model}/versions/1/onnx"), "read");
        await AssertRefusedAsync(predict.GetAsync($"api/models/{Model}"), "read");
        await AssertRefusedAsync(predict.GetAsync("api/runs"), "read");
        await AssertRefusedAsync(predict.GetAsync($"api/models/{Model}/monitoring"), "read");
        await AssertRefusedAsync(predict.PostAsJsonAsync($"api/models/{Model}/feedback", new { items = new[] { new { id = "x", actual = 1.0 } } }), "feedback");
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Accept.ParseAdd("application/json");
        await AssertRefusedAsync(predict.SendAsync(page), "read");
    }

    [Fact]
    public async Task A_read_key_reads_and_downloads_but_cannot_predict_or_write_feedback_and_a_feedback_key_only_writes_feedback()
    {
        await RegisterLinearModelAsync();
        using var read = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("ops"), permissions = new[] { "read" } }));
        using (var onnx = await read.GetAsync($"api/models/{Model}/versions/1/onnx"))
        {
            Assert.Equal(HttpStatusCode.OK, onnx.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"api/models/{Model}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync("api/runs")).StatusCode);
        await AssertRefusedAsync(read.PostAsJsonAsync($"api/models/{Model}/predict", PredictBody), "predict");
        await AssertRefusedAsync(read.PostAsync($"v2/models/{Model}/infer", JsonContent.Create(new { inputs = Array.Empty<object>() })), "predict");
        await AssertRefusedAsync(read.PostAsJsonAsync($"api/models/{Model}/feedback", new { items = new[] { new { id = "x", actual = 1.0 } } }), "feedback");

        using var feedback = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("labels"), permissions = new[] { "feedback" } }));
        using (var accepted = await feedback.PostAsJsonAsync($"api/models/{Model}/feedback", new { items = new[] { new { id = "unknown", actual = 1.0 } } }))
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, accepted.StatusCode);
            Assert.True((int)accepted.StatusCode < 500, await accepted.Content.ReadAsStringAsync());
        }

        await AssertRefusedAsync(feedback.PostAsJsonAsync($"api/models/{Model}/predict", PredictBody), "predict");
    }

    [Fact]
    public async Task A_scoped_key_never_sees_another_projects_runs_even_before_they_have_a_status()
    {
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var own = TrainingRunIds.ForContent("wine", Guid.NewGuid().ToString("N"));
        var other = TrainingRunIds.ForContent("wine-red", Guid.NewGuid().ToString("N"));
        foreach (var (id, project) in new[] { (own, "wine"), (other, "wine-red") })
        {
            // Scheduled an hour ahead: the run exists, pending, with no custom status (no report) yet.
            await durable.ScheduleNewOrchestrationInstanceAsync(
                TrainingPipeline.Name,
                new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" },
                new StartOrchestrationOptions(id) { StartAt = DateTimeOffset.UtcNow.AddHours(1) });

            // As TrainingRuns.StartAsync does: the started run is on record, pending.
            await host.Services.GetRequiredService<RunStore>().RecordStartAsync(id, new TrainingRunRequest { Project = project, Trigger = RunTriggers.Upload, RequestedBy = "upload" }, CancellationToken.None);
        }

        var admin = host.CreateClient();
        await ProductUser.WaitUntilAsync(async () => (await admin.GetStringAsync("api/runs")).Contains(other, StringComparison.Ordinal), "the pending runs to be listed", TimeSpan.FromSeconds(30));
        var adminRun = await admin.GetFromJsonAsync<JsonElement>($"api/runs/{other}");
        Assert.Equal("Pending", adminRun.GetProperty("status").GetString());

        using var wine = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("wine"), projects = new[] { "wine" }, permissions = new[] { "read" } }));
        foreach (var path in new[] { "api/runs", "api/runs?project=wine", "api/runs?status=Pending" })
        {
            var listed = await wine.GetStringAsync(path);
            Assert.Contains(own, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(other, listed, StringComparison.Ordinal);
            Assert.DoesNotContain("wine-red", listed, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await wine.GetAsync("api/runs?project=wine-red")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wine.GetAsync($"api/runs/{other}")).StatusCode); // as a missing run: see RunScopeTests
        Assert.Equal(HttpStatusCode.OK, (await wine.GetAsync($"api/runs/{own}")).StatusCode);
    }

    private static async Task AssertRefusedAsync(Task<HttpResponseMessage> sending, string permission)
    {
        using var response = await sending;
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains($"'{permission}'", error, StringComparison.Ordinal);
    }

    private async Task RegisterLinearModelAsync()
    {
        var registry = host.Services.GetRequiredService<ModelRegistry>();
        if (await registry.GetAliasAsync(Model, "production") is not null)
        {
            return;
        }

        var signature = new ModelSignature(TaskKind.Regression, "y", [new SignatureInput("x1", ColumnKind.Numeric), new SignatureInput("x2", ColumnKind.Numeric)], null);
        var onnx = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "linear_regressor.onnx"));
        await registry.RegisterAsync(
            new ModelRegistration(Model, "linear-1", signature, new Dictionary<string, double> { ["rmse"] = 0.0 }, new ModelLineage { Project = Model, Source = "test" }, onnx),
            DateTimeOffset.UtcNow);
        await registry.SetAliasAsync(Model, "production", 1, "test", "key permission tests", DateTimeOffset.UtcNow);
    }

    private async Task<string> CreateKeyAsync(object body)
    {
        using var admin = host.CreateClient();
        using var response = await admin.PostAsJsonAsync("api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }
}
