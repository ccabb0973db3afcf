using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Onnx.Tests.Fixtures;
using Serverless.Serving.Models;
using Serverless.Serving.Tests.Infrastructure;
using Serverless.Testing;
using Xunit;

namespace Serverless.Serving.Tests;

/// <summary>Promotion under load: parallel clients never fail, and each answer says (truthfully) which version gave it.</summary>
public sealed class AliasSwapTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Flipping_the_alias_under_parallel_load_fails_no_request_and_each_answer_names_its_version()
    {
        var source = new InMemoryModelSource()
            .Add("churn", 1, TestModels.Churn(version: 1), "production")
            .Add("churn", 2, TestModels.Churn(version: 2, bias: 3f));
        await using var host = await ServingHost.StartAsync(source, azurite.Storage, services =>
            services.Configure<ModelCacheOptions>(o => o.AliasTtl = TimeSpan.FromMilliseconds(300)));
        const string body = """{ "instances": [ { "age": 40, "active": 1, "plan": "free" } ] }""";
        var expected = new Dictionary<int, double> { [1] = TestModels.ExpectedChurnProbability(40, 1, "free"), [2] = TestModels.ExpectedChurnProbability(40, 1, "free", 3f) };
        var answers = new ConcurrentBag<(DateTimeOffset At, int Version)>();
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        DateTimeOffset flippedAt = default;

        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (status, json, response) = await HttpJson.PostAsync(host.Client, "/api/models/churn/predict", body);
                if (status != 200)
                {
                    failures.Add($"{status} {json}");
                    continue;
                }

                var version = json.GetProperty("version").GetInt32();
                var yes = json.GetProperty("predictions")[0].GetProperty("probabilities").GetProperty("yes").GetDouble();
                if (response.Headers.GetValues("x-model-version").Single() != version.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    || !expected.TryGetValue(version, out var p) || Math.Abs(p - yes) > 1e-4)
                {
                    failures.Add($"version {version} answered {yes}");
                }

                answers.Add((DateTimeOffset.UtcNow, version));
            }
        })).ToList();

        // Flip once version 1 has answered for a while (a loaded machine can take longer than that for the first answer).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!answers.Any(a => a.Version == 1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(300);
        source.SetAlias("churn", "production", 2);
        flippedAt = DateTimeOffset.UtcNow;
        await Task.Delay(1500);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.Contains(answers, a => a.Version == 1);
        Assert.Contains(answers, a => a.Version == 2);
        Assert.DoesNotContain(answers, a => a.Version == 1 && a.At > flippedAt.AddSeconds(1));
    }
}
