using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Serverless.DurableTask.Http;
using Serverless.DurableTask.TestWorker;
using Serverless.Storage.Azure;
using Serverless.Testing;
using Xunit;

namespace Serverless.DurableTask.AzureStorage.Tests;

/// <summary>The HTTP management API over real HTTP on loopback.</summary>
public sealed class ManagementApiTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<WebApplication> StartAppAsync(string hub)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAzureStorage(_ => new StorageConnectionOptions { ConnectionString = azurite.ConnectionString });
        builder.Services.AddDurableTaskAzureStorage(o => TestWorkerSettings.Apply(o, hub, "http-worker"));
        builder.Services.AddDurableTaskWorker(b => b.AddTasks(r => r.AddOrchestratorFunc<string, string>("Greeter", async (ctx, name) =>
        {
            ctx.SetCustomStatus("waiting");
            return $"{await ctx.WaitForExternalEvent<string>("greeting")}, {name}";
        })).UseAzureStorage());
        builder.Services.AddDurableTaskClient(b => b.UseAzureStorage());
        var app = builder.Build();
        app.MapDurableTaskManagementApi();
        app.MapPost("/api/start/{name}", async (string name, HttpRequest request, DurableTaskClient client) =>
            DurableHttpResponses.CreateCheckStatusResponse(request, await client.ScheduleNewOrchestrationInstanceAsync("Greeter", name)));
        await app.StartAsync();
        return app;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Management_api_speaks_durable_functions_shapes_and_status_codes()
    {
        var hub = AzuriteFixture.UniqueName("h");
        await using var app = await StartAppAsync(hub);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var started = await http.PostAsync("/api/start/Ada", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var payload = await JsonAsync(started);
        var id = payload.GetProperty("id").GetString()!;
        var statusUri = payload.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(statusUri, started.Headers.Location!.ToString());
        Assert.StartsWith(app.Urls.First() + "/runtime/webhooks/durabletask/instances/" + id, statusUri, StringComparison.Ordinal);
        foreach (var property in new[] { "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.StartsWith(statusUri, payload.GetProperty(property).GetString(), StringComparison.Ordinal);
        }

        var running = await http.GetAsync(statusUri);
        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.NotNull(running.Headers.Location);
        Assert.Contains((await JsonAsync(running)).GetProperty("runtimeStatus").GetString(), new[] { "Pending", "Running" });

        var badEvent = await http.PostAsync(statusUri + "/raiseEvent/greeting", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);
        var raised = await http.PostAsync(payload.GetProperty("sendEventPostUri").GetString()!.Replace("{eventName}", "greeting", StringComparison.Ordinal), JsonContent.Create("Hello"));
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);

        using var timeout = new CancellationTokenSource(Timeout);
        HttpResponseMessage done;
        while ((done = await http.GetAsync(statusUri + "?showHistory=true&showHistoryOutput=true", timeout.Token)).StatusCode == HttpStatusCode.Accepted)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var body = await JsonAsync(done);
        Assert.Equal("Greeter", body.GetProperty("name").GetString());
        Assert.Equal(id, body.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", body.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Ada", body.GetProperty("input").GetString());
        Assert.Equal("waiting", body.GetProperty("customStatus").GetString());
        Assert.Equal("Hello, Ada", body.GetProperty("output").GetString());
        Assert.True(body.GetProperty("lastUpdatedTime").GetDateTimeOffset() >= body.GetProperty("createdTime").GetDateTimeOffset());
        var eventTypes = body.GetProperty("historyEvents").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()).ToList();
        Assert.Contains("ExecutionStarted", eventTypes);
        Assert.Contains("EventRaised", eventTypes);
        Assert.Equal("ExecutionCompleted", eventTypes[^1]);

        Assert.Equal(HttpStatusCode.Gone, (await http.PostAsync(statusUri + "/terminate?reason=late", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/runtime/webhooks/durabletask/instances/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/runtime/webhooks/durabletask/instances/nope/terminate", null)).StatusCode);

        // A second instance: suspend, resume, and page through both with the continuation header.
        var second = (await JsonAsync(await http.PostAsync("/api/start/Bob", null))).GetProperty("id").GetString()!;
        var secondUri = $"/runtime/webhooks/durabletask/instances/{second}";
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(secondUri + "/suspend?reason=pause", null)).StatusCode);
        while ((await JsonAsync(await http.GetAsync(secondUri, timeout.Token))).GetProperty("runtimeStatus").GetString() != "Suspended")
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(secondUri + "/resume?reason=go", null)).StatusCode);

        var firstPage = await http.GetAsync("/runtime/webhooks/durabletask/instances?top=1");
        Assert.Equal(HttpStatusCode.OK, firstPage.StatusCode);
        Assert.Single((await JsonAsync(firstPage)).EnumerateArray());
        var token = firstPage.Headers.GetValues(DurableManagementEndpoints.ContinuationHeader).Single();
        using var next = new HttpRequestMessage(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?top=1");
        next.Headers.Add(DurableManagementEndpoints.ContinuationHeader, token);
        var secondPage = await http.SendAsync(next);
        Assert.Single((await JsonAsync(secondPage)).EnumerateArray());
        Assert.False(secondPage.Headers.Contains(DurableManagementEndpoints.ContinuationHeader));
        var completedOnly = await JsonAsync(await http.GetAsync("/runtime/webhooks/durabletask/instances?runtimeStatus=Completed"));
        Assert.Equal(id, Assert.Single(completedOnly.EnumerateArray()).GetProperty("instanceId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/runtime/webhooks/durabletask/instances?runtimeStatus=Sleeping")).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await http.DeleteAsync(secondUri)).StatusCode);
        var purged = await http.DeleteAsync(statusUri);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(1, (await JsonAsync(purged)).GetProperty("instancesDeleted").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync(statusUri)).StatusCode);
    }
}
