using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Models;
using Serverless.Serving.Tests.Infrastructure;
using Xunit;

namespace Serverless.Serving.Tests;

public sealed class ModelCacheTests
{
    private static ModelCache Cache(IModelSource source, int maxModels = 8, long maxBytes = long.MaxValue, double aliasTtlSeconds = 1) =>
        new(source, Options.Create(new ModelCacheOptions { MaxModels = maxModels, MaxBytes = maxBytes, AliasTtl = TimeSpan.FromSeconds(aliasTtlSeconds) }), NullLogger<ModelCache>.Instance);

    private static TabularFrame Row() => new(
    [
        new NumericColumn("age", [30]),
        new NumericColumn("active", ColumnKind.Boolean, [1]),
        new TextColumn("plan", ColumnKind.Categorical, ["free"]),
    ]);

    [Fact]
    public async Task Concurrent_first_requests_load_a_version_once()
    {
        var source = new InMemoryModelSource { LoadDelay = TimeSpan.FromMilliseconds(200) }.Add("churn", 1, TestModels.Churn(), "production");
        using var cache = Cache(source);

        var leases = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.AcquireAsync("churn", "production", null, CancellationToken.None))));

        Assert.Equal(1, source.Loads);
        Assert.All(leases, lease => Assert.Same(leases[0].Model, lease.Model));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task Least_recently_used_versions_are_evicted_but_stay_usable_until_their_leases_end()
    {
        var source = new InMemoryModelSource();
        for (var v = 1; v <= 3; v++)
        {
            source.Add("churn", v, TestModels.Churn(version: v));
        }

        using var cache = Cache(source, maxModels: 2);
        var first = await cache.AcquireAsync("churn", null, 1, CancellationToken.None);
        (await cache.AcquireAsync("churn", null, 2, CancellationToken.None)).Dispose();
        await Task.Delay(20);
        (await cache.AcquireAsync("churn", null, 3, CancellationToken.None)).Dispose();

        Assert.Equal(2, cache.Count);
        Assert.Equal(3, source.Loads);
        Assert.Equal(1, first.Model.Score(Row()).RowCount); // evicted, still leased: not disposed
        first.Dispose();

        (await cache.AcquireAsync("churn", null, 1, CancellationToken.None)).Dispose();
        Assert.Equal(4, source.Loads); // version 1 was really gone
        (await cache.AcquireAsync("churn", null, 3, CancellationToken.None)).Dispose();
        Assert.Equal(4, source.Loads);
    }

    [Fact]
    public async Task The_memory_bound_evicts_by_model_bytes()
    {
        var bytes = TestModels.Churn().Length;
        var source = new InMemoryModelSource().Add("a", 1, TestModels.Churn()).Add("b", 1, TestModels.Churn()).Add("c", 1, TestModels.Churn());
        using var cache = Cache(source, maxBytes: (bytes * 2) + 10);

        await cache.WarmAsync("a", 1, CancellationToken.None);
        await cache.WarmAsync("b", 1, CancellationToken.None);
        await cache.WarmAsync("c", 1, CancellationToken.None);

        Assert.Equal(2, cache.Count);
        Assert.Equal(3, source.Loads);
    }

    [Fact]
    public async Task An_alias_change_is_picked_up_after_the_ttl_and_warm_loads_ahead()
    {
        var source = new InMemoryModelSource().Add("churn", 1, TestModels.Churn(), "production").Add("churn", 2, TestModels.Churn(version: 2));
        // A TTL well above how long the warm load below takes on a busy machine (0.3 s was not, under CI load).
        using var cache = Cache(source, aliasTtlSeconds: 2);
        using (var lease = await cache.AcquireAsync("churn", "production", null, CancellationToken.None))
        {
            Assert.Equal(1, lease.Version);
        }

        await cache.WarmAsync("churn", 2, CancellationToken.None);
        Assert.Equal(2, source.Loads);
        source.SetAlias("churn", "production", 2);
        using (var cached = await cache.AcquireAsync("churn", "production", null, CancellationToken.None))
        {
            Assert.Equal(1, cached.Version); // within the TTL
        }

        await Task.Delay(2100);
        using var swapped = await cache.AcquireAsync("churn", "production", null, CancellationToken.None);
        Assert.Equal(2, swapped.Version);
        Assert.Equal(2, source.Loads);
    }

    [Fact]
    public async Task Unknown_models_throw_not_found_and_are_not_cached()
    {
        var source = new InMemoryModelSource();
        using var cache = Cache(source);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => cache.AcquireAsync("churn", "production", null, CancellationToken.None));

        source.Add("churn", 1, TestModels.Churn(), "production");
        using var lease = await cache.AcquireAsync("churn", "production", null, CancellationToken.None);
        Assert.Equal(1, lease.Version);
    }
}
