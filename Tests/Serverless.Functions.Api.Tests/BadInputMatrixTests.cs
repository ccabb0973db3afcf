using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>The product with small dataset limits, so that a bomb is cheap to make and its limit cheap to reach.</summary>
public sealed class LimitedProductHost : FunctionsHostFixture
{
    public const long MaxUncompressedBytes = 64L * 1024 * 1024;

    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
    {
        IncludeProduct = true,
        Settings = new Dictionary<string, string?>
        {
            ["Datasets:Limits:MaxUncompressedBytes"] = MaxUncompressedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}

/// <summary>Runs alone, after the parallel tests: it measures the process's peak working set.</summary>
[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;

/// <summary>
/// Every upload kind fed bad input at once (issue 14's matrix): each is refused with a message naming the problem,
/// no API answer is a 5xx, no stored artifact changes and the host's memory stays bounded.
/// </summary>
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class BadInputMatrixTests(LimitedProductHost host) : IClassFixture<LimitedProductHost>
{
    private static readonly string[] WineLines = File.ReadAllLines(SharedData.PathOf("wine.csv"));

    private readonly ProductUser _user = new(host);

    /// <summary>Dataset file, content, and words the rejection must contain.</summary>
    private static IEnumerable<(string File, byte[] Content, string Problem)> BadDatasets()
    {
        yield return ("empty.csv", [], "unreadable");
        yield return ("junk.csv", RandomBytes(4096, seed: 1), "unreadable");
        yield return ("junk.parquet", RandomBytes(4096, seed: 2), "unreadable");
        yield return ("ragged.csv", Encoding.UTF8.GetBytes(string.Join('\n', WineLines.Select((l, i) => i == 9 ? l + ",1,2" : l))), "unreadable");
        yield return ("wide.csv", Wide(10_000), "columns");
        yield return ("huge-field.csv", HugeField(8 * 1024 * 1024), "MaxFieldLength");
        yield return ("bomb.csv.gz", GzipBomb(512L * 1024 * 1024), "MaxUncompressedBytes");
    }

    [Fact]
    public async Task Every_upload_kind_refuses_bad_input_clearly_without_5xx_or_changed_artifacts_and_with_bounded_memory()
    {
        const string project = "matrix";
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["lightgbm"] }""");
        await _user.UploadAsync(project, "good/wine.csv", Encoding.UTF8.GetBytes(string.Join('\n', WineLines)));
        Assert.Equal("Promoted", Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1)).GetProperty("status").GetString());

        var blobs = host.Services.GetRequiredService<IBlobStore>();
        var artifacts = host.Host.Options.ArtifactsContainer;
        var before = await HashAllAsync(blobs, artifacts);
        var model = await _user.Admin.GetStringAsync($"api/models/{project}");
        using var memory = new WorkingSetSampler();

        var bad = BadDatasets().ToList();
        foreach (var (file, content, _) in bad)
        {
            await _user.UploadAsync(project, $"bad/{file}", content);
        }

        var uploads = host.Host.Options.ModelUploadsContainer;
        await blobs.CreateContainerIfNotExistsAsync(uploads);
        await blobs.UploadBytesAsync(uploads, "matrixempty/m.onnx", Array.Empty<byte>());
        await blobs.UploadBytesAsync(uploads, "matrixjunk/m.onnx", RandomBytes(8192, seed: 3));

        var runs = await _user.WaitForFinishedRunsAsync(project, 1 + bad.Count, TimeSpan.FromMinutes(4));
        var problems = new List<string>();
        foreach (var (file, _, problem) in bad)
        {
            var run = runs.SingleOrDefault(r => r.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.Object
                && d.GetProperty("source").GetString()!.EndsWith("bad/" + file, StringComparison.Ordinal));
            if (run.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{file}: no run with its dataset");
                continue;
            }

            var errors = run.GetProperty("validation").GetProperty("errors").ToString();
            if (run.GetProperty("status").GetString() != "Rejected" || !errors.Contains(problem, StringComparison.Ordinal))
            {
                problems.Add($"{file}: expected Rejected naming '{problem}', got {run.GetProperty("status")}: {errors}");
            }
        }

        foreach (var name in new[] { "matrixempty", "matrixjunk" })
        {
            var report = await WaitForUploadAsync(name);
            if (report.GetProperty("status").GetString() != "Rejected" || report.GetProperty("reason").GetString() is not { Length: > 0 })
            {
                problems.Add($"model upload {name}: {report}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // No answer about any of it is a server error.
        foreach (var route in new[] { $"api/runs?project={project}", $"api/projects/{project}/datasets", $"api/models/{project}", "api/models/matrixjunk/uploads", "api/models/matrixempty/uploads" }
            .Concat(runs.Select(r => $"api/runs/{r.GetProperty("id").GetString()}")))
        {
            using var response = await _user.Admin.GetAsync(route);
            Assert.True((int)response.StatusCode < 500, $"{route}: {(int)response.StatusCode}");
        }

        // Nothing already stored changed; production is still the good model.
        var after = await HashAllAsync(blobs, artifacts);
        Assert.All(before, blob => Assert.Equal(blob.Value, after.GetValueOrDefault(blob.Key)));
        Assert.Equal(model, await _user.Admin.GetStringAsync($"api/models/{project}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync("api/models/matrixjunk")).StatusCode);

        // The 512 MB bomb is refused at the 64 MB limit while streaming. Parsed, 64 MB of its rows are about 400 MB of
        // frame (8 million rows of doubles and labels) before the limit stops it; the whole bomb would be about 3 GB.
        var growth = memory.Growth;
        Assert.True(growth < 1024L * 1024 * 1024, $"the working set grew by up to {growth / 1e6:F0} MB");
    }

    /// <summary>The report of the model's upload once its pipeline has ended (a failed pipeline is a wrong answer to bad input).</summary>
    private async Task<JsonElement> WaitForUploadAsync(string model)
    {
        JsonElement report = default;
        await ProductUser.WaitUntilAsync(async () =>
        {
            var listed = await _user.Admin.GetFromJsonAsync($"api/models/{model}/uploads");
            var upload = listed.GetProperty("uploads").EnumerateArray().FirstOrDefault();
            if (upload.ValueKind == JsonValueKind.Undefined || upload.GetProperty("runtimeStatus").GetString() is not ("Completed" or "Failed"))
            {
                return false;
            }

            Assert.True(upload.GetProperty("runtimeStatus").GetString() == "Completed", upload.ToString());
            report = upload.GetProperty("report");
            return true;
        }, $"the upload of {model} to finish", TimeSpan.FromMinutes(2));
        return report;
    }

    /// <summary>The largest working set seen (sampled every 20 ms) above the one at the start.</summary>
    private sealed class WorkingSetSampler : IDisposable
    {
        private readonly long _baseline = Current();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _max;

        public WorkingSetSampler()
        {
            _max = _baseline;
            _sampling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref _max, Math.Max(Interlocked.Read(ref _max), Current()));
                    await Task.Delay(20).ConfigureAwait(false);
                }
            });
        }

        public long Growth => Math.Max(Interlocked.Read(ref _max), Current()) - _baseline;

        public void Dispose()
        {
            _stop.Cancel();
            _sampling.Wait();
            _stop.Dispose();
        }

        private static long Current()
        {
            using var self = Process.GetCurrentProcess();
            return self.WorkingSet64;
        }
    }

    private static async Task<Dictionary<string, string>> HashAllAsync(IBlobStore blobs, string container)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var item in blobs.ListAsync(container))
        {
            hashes[item.Name] = Convert.ToHexStringLower(SHA256.HashData(await blobs.DownloadBytesAsync(container, item.Name)));
        }

        return hashes;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Wide(int columns)
    {
        var header = string.Join(',', Enumerable.Range(0, columns).Select(i => $"c{i}")) + ",label";
        var row = string.Join(',', Enumerable.Repeat("1", columns)) + ",a";
        return Encoding.UTF8.GetBytes(header + "\n" + row + "\n" + row + "\n");
    }

    private static byte[] HugeField(int length) =>
        Encoding.UTF8.GetBytes("notes,x,label\n" + new string('z', length) + ",1,a\nshort,2,b\n");

    /// <summary>A gzip of <paramref name="inflated"/> bytes of one repeated CSV row: a few hundred KB on the wire.</summary>
    private static byte[] GzipBomb(long inflated)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var header = Encoding.UTF8.GetBytes("a,b,c,label\n");
            gzip.Write(header);
            var block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("0,0,0,x\n", 8192)));
            for (long written = header.Length; written < inflated; written += block.Length)
            {
                gzip.Write(block);
            }
        }

        return output.ToArray();
    }
}
