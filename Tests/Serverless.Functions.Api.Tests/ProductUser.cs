using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>What a data team and an operator do: upload files to the datasets container and call the management API over HTTP.</summary>
public sealed class ProductUser(FunctionsHostFixture host)
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private static readonly string[] EndStates = ["Promoted", "Registered", "Rejected", "Failed", "ApprovalRejected", "ApprovalTimedOut", "Terminated"];

    private readonly IBlobStore _blobs = host.Services.GetRequiredService<IBlobStore>();

    public HttpClient Admin { get; } = host.CreateClient();

    public string DatasetsContainer => host.Host.Options.DatasetsContainer;

    /// <summary>Uploads <c>{project}/project.json</c> and waits until the spec is in force.</summary>
    public async Task UploadSpecAsync(string project, string json)
    {
        await _blobs.CreateContainerIfNotExistsAsync(DatasetsContainer);
        await _blobs.UploadTextAsync(DatasetsContainer, $"{project}/project.json", json);
        await WaitUntilAsync(async () =>
        {
            var response = await Admin.GetAsync($"api/projects/{project}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            // A replaced spec: wait until the stored one is the uploaded one.
            var stored = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("spec");
            return SpecMatches(stored, JsonDocument.Parse(json).RootElement);
        }, $"the spec of '{project}' to apply", TimeSpan.FromSeconds(60));
    }

    public async Task UploadAsync(string project, string path, byte[] content)
    {
        await _blobs.CreateContainerIfNotExistsAsync(DatasetsContainer);
        await _blobs.UploadBytesAsync(DatasetsContainer, $"{project}/{path}", content);
    }

    /// <summary>The project's runs (newest first) as <c>GET /api/runs?project=</c> lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunsAsync(string project)
    {
        var body = await Admin.GetFromJsonAsync<JsonElement>($"api/runs?project={project}");
        return [.. body.GetProperty("runs").EnumerateArray()];
    }

    /// <summary>Waits until the project has <paramref name="count"/> runs that all reached an end state; returns their details.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForFinishedRunsAsync(string project, int count, TimeSpan? timeout = null)
    {
        IReadOnlyList<JsonElement> runs = [];
        await WaitUntilAsync(async () =>
        {
            runs = await RunsAsync(project);
            return runs.Count >= count && runs.All(r => EndStates.Contains(r.GetProperty("status").GetString()));
        }, $"{count} finished runs of '{project}'", timeout ?? RunTimeout);
        return await Task.WhenAll(runs.Select(r => RunAsync(r.GetProperty("id").GetString()!)));
    }

    /// <summary>Waits until run <paramref name="runId"/> shows <paramref name="status"/> (fails fast on another end state).</summary>
    public async Task<JsonElement> WaitForStatusAsync(string runId, string status, TimeSpan? timeout = null)
    {
        JsonElement run = default;
        await WaitUntilAsync(async () =>
        {
            run = await RunAsync(runId);
            var now = run.GetProperty("status").GetString();
            if (now != status && EndStates.Contains(now))
            {
                Assert.Fail($"Run {runId} ended {now}, not {status}: {run}");
            }

            return now == status;
        }, $"run {runId} to be {status}", timeout ?? RunTimeout);
        return run;
    }

    /// <summary>Waits for the project's first run and returns its id.</summary>
    public async Task<string> WaitForRunIdAsync(string project, int existing = 0)
    {
        string? id = null;
        await WaitUntilAsync(async () =>
        {
            var runs = await RunsAsync(project);
            id = runs.Count > existing ? runs[0].GetProperty("id").GetString() : null;
            return id is not null;
        }, $"a new run of '{project}'", TimeSpan.FromSeconds(60));
        return id!;
    }

    public Task<JsonElement> RunAsync(string runId) => Admin.GetFromJsonAsync<JsonElement>($"api/runs/{runId}");

    public async Task<JsonElement?> ModelAsync(string name)
    {
        var response = await Admin.GetAsync($"api/models/{name}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<int?> ProductionVersionAsync(string name) =>
        await ModelAsync(name) is { } model && model.GetProperty("aliases").TryGetProperty("production", out var v) ? v.GetInt32() : null;

    public async Task<IReadOnlyList<JsonElement>> DatasetVersionsAsync(string project)
    {
        var body = await Admin.GetFromJsonAsync<JsonElement>($"api/projects/{project}/datasets");
        return [.. body.GetProperty("versions").EnumerateArray()];
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }

            await Task.Delay(300);
        }
    }

    private static readonly string[] ComparedFields = ["label", "promotion", "schedule"];

    /// <summary>The fields that tell one test spec from the next (others are normalized when stored).</summary>
    private static bool SpecMatches(JsonElement stored, JsonElement uploaded) =>
        ComparedFields.All(name => !uploaded.TryGetProperty(name, out var value)
            || (stored.TryGetProperty(name, out var kept) && kept.ToString() == value.GetString()));
}

/// <summary>JSON reads on the admin client.</summary>
internal static class JsonHttp
{
    public static Task<JsonElement> GetFromJsonAsync(this HttpClient client, string route) =>
        System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(client, route);
}
