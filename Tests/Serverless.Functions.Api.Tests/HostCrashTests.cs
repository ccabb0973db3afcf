using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Serverless.Storage;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// The product's host as a process of its own, killed with SIGKILL while a candidate trains: a new host on the same
/// task hub finishes the run (the DTFx partition and the activity's work item move to it) with exactly one model version.
/// </summary>
public sealed class HostCrashTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string MasterKey = "crash-test-master-key-0123456789abcdef";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Host_killed_while_a_candidate_trains_is_replaced_and_the_run_registers_one_version()
    {
        var prefix = AzuriteFixture.UniqueName("k");
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["MasterKey"] = MasterKey,
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = prefix + "hub",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval"] = "00:00:00.250",
            ["Product__TablePrefix"] = prefix,
            ["Product__DatasetsContainer"] = prefix + "datasets",
            ["Product__ArtifactsContainer"] = prefix + "artifacts",
            ["Product__ScoringInputContainer"] = prefix + "scoringin",
            ["Product__ScoringOutputContainer"] = prefix + "scoringout",
            ["Product__ModelUploadsContainer"] = prefix + "uploads",
            ["Keys__TableName"] = prefix + "keys",
            ["Serving__PredictionLog__Container"] = prefix + "predictionlog",
            ["Serving__PredictionLog__FeedbackTableName"] = prefix + "predictionfeedback",
        };
        const string project = "crash";
        var host = await HostProcess.StartAsync(settings);
        try
        {
            using var client = host.CreateClient();
            var spec = new StringContent("""{"label":"label","trainers":["fasttree"],"sweep":{"fasttree":{"numberOfTrees":[400]}}}""", Encoding.UTF8, "application/json");
            (await client.PutAsync($"api/projects/{project}", spec)).EnsureSuccessStatusCode();
            await azurite.Storage.Blobs.CreateContainerIfNotExistsAsync(prefix + "datasets");
            await azurite.Storage.Blobs.UploadBytesAsync(prefix + "datasets", $"{project}/big.csv", SyntheticBinary(120_000));

            // Kill the host once the train step is under way.
            var runId = await WaitForAsync(client, async c =>
            {
                var runs = await GetJsonAsync(c, $"api/runs?project={project}");
                foreach (var run in runs.GetProperty("runs").EnumerateArray())
                {
                    var id = run.GetProperty("id").GetString()!;
                    var report = await GetJsonAsync(c, $"api/runs/{id}");
                    if (report.TryGetProperty("steps", out var steps)
                        && steps.EnumerateArray().Any(s => s.GetProperty("name").GetString() == "train" && s.GetProperty("status").GetString() == "Running"))
                    {
                        return id;
                    }
                }

                return null;
            });
            await Task.Delay(TimeSpan.FromSeconds(1));
            host.Kill();

            host = await HostProcess.StartAsync(settings);
            using var second = host.CreateClient();
            JsonElement finished;
            try
            {
                finished = (await WaitForAsync(second, async c =>
                {
                    var report = await GetJsonAsync(c, $"api/runs/{runId}");
                    var outcome = report.TryGetProperty("status", out var o) ? o.GetString() : null;
                    return outcome is "Promoted" or "Registered" or "Failed" or "Rejected" ? report : (JsonElement?)null;
                })).GetValueOrDefault();
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The run did not finish on the new host within {Timeout}: {await GetJsonAsync(second, $"api/runs/{runId}")}");
                throw;
            }

            Assert.Equal("Promoted", finished.GetProperty("status").GetString());
            Assert.Equal(1, finished.GetProperty("modelVersion").GetInt32());
            var model = await GetJsonAsync(second, $"api/models/{project}");
            Assert.Single(model.GetProperty("versions").EnumerateArray());
        }
        finally
        {
            host.Kill();
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string route)
    {
        using var response = await client.GetAsync(route);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<T> WaitForAsync<T>(HttpClient client, Func<HttpClient, Task<T?>> probe)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            try
            {
                if (await probe(client) is { } found)
                {
                    return found;
                }
            }
            catch (HttpRequestException)
            {
                // The host is still starting.
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    /// <summary>A seeded binary task: 8 numeric features, a noisy linear label.</summary>
    private static byte[] SyntheticBinary(int rows)
    {
        var random = new Random(7);
        var csv = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,label\n");
        for (var i = 0; i < rows; i++)
        {
            var x = new double[8];
            for (var j = 0; j < 8; j++)
            {
                x[j] = random.NextDouble() * 2 - 1;
            }

            var score = x[0] + 0.5 * x[1] - x[2] * x[3] + 0.3 * random.NextDouble();
            csv.Append(string.Join(',', x.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))).Append(',').Append(score > 0.15 ? "yes" : "no").Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>The product's host (<c>Serverless.Functions.LocalHost.dll</c>) as a child process on a free loopback port.</summary>
    private sealed class HostProcess
    {
        private readonly Process _process;

        private HostProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
        {
            var address = new Uri($"http://127.0.0.1:{FreePort()}/");
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Serverless.Functions.LocalHost.dll"));
            info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
            info.Environment["Logging__LogLevel__Default"] = "Information";
            info.Environment["Logging__LogLevel__DurableTask.AzureStorage"] = "Warning";
            info.Environment["Logging__LogLevel__DurableTask.Core"] = "Warning";
            foreach (var (key, value) in settings)
            {
                info.Environment[key] = value;
            }

            var process = Process.Start(info)!;
            var log = Path.Combine(Path.GetTempPath(), $"host-crash-{DateTime.UtcNow:HHmmss}-{process.Id}.log");
            var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => writer.WriteLine(e.Data);
            process.ErrorDataReceived += (_, e) => writer.WriteLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var host = new HostProcess(process, address);
            using var client = host.CreateClient();
            await WaitForAsync(client, async c => (await c.GetAsync("api/health")).IsSuccessStatusCode ? "up" : null);
            return host;
        }

        public HttpClient CreateClient()
        {
            var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("x-functions-key", MasterKey);
            return client;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
