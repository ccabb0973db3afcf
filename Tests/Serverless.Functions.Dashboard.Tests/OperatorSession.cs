using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>What an operator does besides the dashboard: set a project's spec, upload a dataset, and read the API to check the page's effects.</summary>
public sealed class OperatorSession(DashboardHost host) : IDisposable
{
    private static readonly string[] EndStates = ["Promoted", "Registered", "Rejected", "Failed", "ApprovalRejected", "ApprovalTimedOut", "Terminated"];

    public HttpClient Admin { get; } = host.CreateClient();

    /// <summary>Puts the spec through the API and uploads <paramref name="dataset"/> (a file of the shared data) to start a run.</summary>
    public async Task StartProjectAsync(string project, string spec, string dataset) =>
        await StartProjectAsync(project, spec, dataset, await File.ReadAllBytesAsync(SharedData.PathOf(dataset)));

    /// <summary>Puts the spec through the API and uploads <paramref name="csv"/> as <paramref name="name"/> to start a run.</summary>
    public Task StartProjectAsync(string project, string spec, string name, string csv) =>
        StartProjectAsync(project, spec, name, System.Text.Encoding.UTF8.GetBytes(csv));

    private async Task StartProjectAsync(string project, string spec, string name, byte[] content)
    {
        using var body = new StringContent(spec, System.Text.Encoding.UTF8, "application/json");
        var put = await Admin.PutAsync($"api/projects/{project}", body);
        Assert.True(put.StatusCode == HttpStatusCode.OK, $"PUT project: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var container = host.Host.Options.DatasetsContainer;
        await blobs.CreateContainerIfNotExistsAsync(container);
        await blobs.UploadBytesAsync(container, $"{project}/{name}", content);
    }

    /// <summary>Waits for the project's run to show <paramref name="status"/> (fails fast on another end state); returns the run.</summary>
    public async Task<JsonElement> WaitForRunAsync(string project, string status, TimeSpan timeout)
    {
        JsonElement run = default;
        await WaitUntilAsync(async () =>
        {
            var runs = (await Admin.GetFromJsonAsync<JsonElement>($"api/runs?project={project}")).GetProperty("runs");
            if (runs.GetArrayLength() == 0)
            {
                return false;
            }

            run = runs[0];
            var now = run.GetProperty("status").GetString();
            Assert.False(now != status && EndStates.Contains(now), $"The run ended {now}, not {status}: {run}");
            return now == status;
        }, $"a run of '{project}' to be {status}", timeout);
        return run;
    }

    /// <summary>
    /// Scores <paramref name="dataset"/> (label column <paramref name="label"/> dropped, every feature tripled) through the
    /// production alias, then runs the drift check until the logged predictions are in a report; returns the model's monitoring.
    /// </summary>
    public async Task<JsonElement> ScoreShiftedAndCheckDriftAsync(string model, string dataset, string label)
    {
        var lines = await File.ReadAllLinesAsync(SharedData.PathOf(dataset));
        var labelAt = Array.IndexOf(lines[0].Split(','), label);
        var csv = string.Join('\n', lines.Where(l => l.Length > 0).Select((line, n) => string.Join(',', line.Split(',')
            .Where((_, i) => i != labelAt)
            .Select(cell => n == 0 ? cell : (3 * double.Parse(cell, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)))));
        using var body = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        var scored = await Admin.PostAsync($"api/models/{model}/predict", body);
        Assert.True(scored.StatusCode == HttpStatusCode.OK, $"predict: {(int)scored.StatusCode} {await scored.Content.ReadAsStringAsync()}");

        JsonElement monitoring = default;
        await WaitUntilAsync(async () =>
        {
            var check = await Admin.PostAsync($"api/models/{model}/monitoring/check", null);
            Assert.True(check.StatusCode == HttpStatusCode.OK, $"check: {(int)check.StatusCode} {await check.Content.ReadAsStringAsync()}");
            monitoring = await Admin.GetFromJsonAsync<JsonElement>($"api/models/{model}/monitoring");
            return monitoring.GetProperty("drift") is { ValueKind: JsonValueKind.Object } drift && drift.GetProperty("status").GetString() == "drift";
        }, $"a drift report of '{model}'", TimeSpan.FromSeconds(30));
        return monitoring;
    }

    /// <summary>The model's aliases as the API shows them.</summary>
    public async Task<IReadOnlyDictionary<string, int>> AliasesAsync(string model)
    {
        var body = await Admin.GetFromJsonAsync<JsonElement>($"api/models/{model}");
        return body.GetProperty("aliases").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    public Task<JsonElement> ModelAsync(string model) => Admin.GetFromJsonAsync<JsonElement>($"api/models/{model}");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }

            await Task.Delay(250);
        }
    }

    public void Dispose() => Admin.Dispose();
}
