using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting.Keys;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>Issue 14 item 9: wrong keys cost no storage read and no memory, on every route; a new key works at once.</summary>
public sealed class UnknownKeyTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Ten_thousand_wrong_keys_cost_a_bounded_number_of_reads_and_no_memory_and_a_new_key_works_at_once()
    {
        var keysTable = AzuriteFixture.UniqueName("keys");
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            KeysTable = keysTable,
            FunctionClasses = [typeof(Probes)],
            Settings = new Dictionary<string, string?> { ["Keys:CacheDuration"] = "00:10:00" },
            ConfigureServices = services => CountingTableStore.Decorate(services, keysTable),
        });
        var counter = host.Services.GetRequiredService<CountingTableStore>();
        var index = host.Services.GetRequiredService<FunctionKeyIndex>();
        using var admin = host.CreateClient();
        using (var created = await admin.PostAsJsonAsync("api/keys", new { name = AzuriteFixture.UniqueName("real") }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var before = counter.Reads;
        var paths = new[] { "api/probe/anonymous", "api/projects/alpha/probe" };
        var codes = new int[2, 600];
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, paths[i % 2]);
            request.Headers.Add("x-functions-key", KeySecrets.Generate()); // a distinct wrong key each time
            using var response = await host.Client.SendAsync(request, ct);
            Interlocked.Increment(ref codes[i % 2, (int)response.StatusCode]);
        });

        Assert.Equal(5_000, codes[0, 200]); // anonymous route: served, as anonymous
        Assert.Equal(5_000, codes[1, 401]); // function route: refused
        Assert.InRange(counter.Reads - before, 0, 2); // one read of the whole index (after the create invalidated it), not one per key
        Assert.Equal(1, index.Count); // the index holds the stored keys only, never the wrong ones

        // A key created now works at once on this host (creating refreshes the index).
        var name = AzuriteFixture.UniqueName("late");
        using var late = await admin.PostAsJsonAsync("api/keys", new { name });
        var key = JsonDocument.Parse(await late.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        using var client = host.CreateClient(key);
        using var answer = await client.GetAsync("api/projects/alpha/probe");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(name, (await answer.Content.ReadFromJsonAsync<ProbeAnswer>())!.Caller);
        Assert.Equal(2, index.Count);
    }
}
