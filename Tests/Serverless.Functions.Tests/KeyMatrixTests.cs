using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>The host with the probe functions and a plain minimal-API group behind the admin key check.</summary>
public sealed class ProbeHostFixture : FunctionsHostFixture
{
    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with
    {
        FunctionClasses = [typeof(Probes)],
        ConfigureApp = app =>
        {
            app.MapGroup("/custom").RequireFunctionKey(AuthorizationLevel.Admin).MapGet("/ping", (HttpContext http) => Results.Ok(http.GetCaller().KeyName));

            // A plain endpoint whose storage call fails with the SDK's own error (a malformed query: status, error code, x-ms- headers).
            app.MapGet("/custom/storage-failure", async (HttpContext http) =>
            {
                var tables = http.RequestServices.GetRequiredService<ITableStore>();
                var table = "probe" + Guid.NewGuid().ToString("N");
                await tables.CreateTableIfNotExistsAsync(table, http.RequestAborted);
                await foreach (var row in tables.QueryAsync(table, new TableQuery { Filter = "Name eq" }, http.RequestAborted))
                {
                    return Results.Ok(row.RowKey);
                }

                return Results.Ok();
            });
        },
    };
}

public sealed class KeyMatrixTests(ProbeHostFixture host) : IClassFixture<ProbeHostFixture>
{
    [Fact]
    public async Task Health_answers_200_with_storage_reachable()
    {
        using var admin = host.CreateClient();
        using var response = await admin.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("workers").ValueKind);
    }

    [Fact]
    public async Task Health_without_a_key_or_with_a_wrong_one_says_only_healthy_or_not()
    {
        foreach (var path in new[] { "api/health", "api/health?code=not-a-key" })
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
            Assert.Single(body.RootElement.EnumerateObject()); // no storage, no workers
        }

        var predictOnly = await CreateKeyAsync(new { name = Name("hp"), permissions = new[] { "predict" } });
        using var limited = await Send(predictOnly, "api/health");
        using var limitedBody = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Single(limitedBody.RootElement.EnumerateObject()); // details need a key that may read
    }

    [Fact]
    public async Task Keys_with_permissions_reach_only_routes_that_declare_one_of_them()
    {
        var predictOnly = await CreateKeyAsync(new { name = Name("pred"), permissions = new[] { "predict" } });
        var reader = await CreateKeyAsync(new { name = Name("read"), permissions = new[] { "read", "feedback" } });
        var unlimited = await CreateKeyAsync(new { name = Name("all") });

        using (var refused = await Send(predictOnly, "api/probe/read"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
            Assert.Contains("'read'", error, StringComparison.Ordinal);
        }

        // A function-level route that declares no permission is closed to every key with a permission list.
        using (var undeclared = await Send(reader, "api/projects/alpha/probe"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, undeclared.StatusCode);
            Assert.Contains("permission", await undeclared.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var key in new[] { reader, unlimited, host.MasterKey })
        {
            using var allowed = await Send(key, "api/probe/read");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var anonymous = await Send(predictOnly, "api/probe/anonymous");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task Permissions_are_validated_stored_and_listed()
    {
        using var admin = host.CreateClient();
        using (var unknown = await admin.PostAsJsonAsync("api/keys", new { name = Name("bad"), permissions = new[] { "predict", "delete" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            var error = await unknown.Content.ReadAsStringAsync();
            Assert.Contains("permissions", error, StringComparison.Ordinal);
            Assert.Contains("delete", error, StringComparison.Ordinal);
        }

        using (var empty = await admin.PostAsJsonAsync("api/keys", new { name = Name("none"), permissions = Array.Empty<string>() }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        }

        using (var adminWithPermissions = await admin.PostAsJsonAsync("api/keys", new { name = Name("adm"), level = "admin", permissions = new[] { "read" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, adminWithPermissions.StatusCode);
            Assert.Contains("permissions", await adminWithPermissions.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var limited = Name("lim");
        var open = Name("open");
        using (var created = await admin.PostAsJsonAsync("api/keys", new { name = limited, permissions = new[] { "READ", "predict", "read" } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(new[] { "predict", "read" }, body.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());
        }

        await CreateKeyAsync(new { name = open });
        var listed = JsonDocument.Parse(await admin.GetStringAsync("api/keys")).RootElement.EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(new[] { "predict", "read" }, listed[limited].GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, listed[open].GetProperty("permissions").ValueKind);
    }

    [Theory]
    [InlineData("api/probe/storage-failure")]
    [InlineData("custom/storage-failure")]
    public async Task A_storage_failure_answers_a_generic_500_without_storage_headers_or_stack_frames(string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(response.Headers.GetValues("x-correlation-id").Single(), error, StringComparison.Ordinal);
        Assert.DoesNotContain("x-ms-", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ErrorCode", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_key_kind_meets_every_level_as_specified()
    {
        var function = await CreateKeyAsync(new { name = Name("fn"), level = "function" });
        var scoped = await CreateKeyAsync(new { name = Name("scoped"), level = "function", projects = new[] { "alpha" } });
        var admin = await CreateKeyAsync(new { name = Name("adm"), level = "admin" });
        const string wrong = "not-a-key";

        // (key, anonymous route, function route on alpha, function route on beta, model alpha, model beta, admin route, plain endpoint)
        var expectations = new (string? Key, int[] Codes)[]
        {
            (null, [200, 401, 401, 401, 401, 401, 401]),
            (wrong, [200, 401, 401, 401, 401, 401, 401]),
            (function, [200, 200, 200, 200, 200, 403, 403]),
            (scoped, [200, 200, 403, 200, 403, 403, 403]),
            (admin, [200, 200, 200, 200, 200, 200, 200]),
            (host.MasterKey, [200, 200, 200, 200, 200, 200, 200]),
        };
        var requests = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Get, "api/probe/anonymous"),
            (HttpMethod.Get, "api/projects/alpha/probe"),
            (HttpMethod.Get, "api/projects/beta/probe"),
            (HttpMethod.Get, "api/models/alpha/probe"),
            (HttpMethod.Get, "api/models/beta/probe"),
            (HttpMethod.Post, "api/probe/admin"),
            (HttpMethod.Get, "custom/ping"),
        };

        var failures = new List<string>();
        foreach (var (key, codes) in expectations)
        {
            for (var i = 0; i < requests.Length; i++)
            {
                using var request = new HttpRequestMessage(requests[i].Method, requests[i].Path);
                if (key is not null)
                {
                    request.Headers.Add("x-functions-key", key);
                }

                using var response = await host.Client.SendAsync(request);
                if ((int)response.StatusCode != codes[i])
                {
                    failures.Add($"{requests[i].Method} {requests[i].Path} with {(key == null ? "no key" : key == wrong ? "wrong key" : key == host.MasterKey ? "master key" : "key " + key[..6])}: {(int)response.StatusCode}, expected {codes[i]}");
                }

                if (codes[i] is 401 or 403)
                {
                    using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("error").GetString()));
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Key_in_query_string_works_and_identifies_the_caller()
    {
        var name = Name("query");
        var key = await CreateKeyAsync(new { name, projects = new[] { "alpha" } });
        var answer = await host.Client.GetFromJsonAsync<ProbeAnswer>($"api/projects/alpha/probe?code={Uri.EscapeDataString(key)}");
        Assert.Equal(name, answer!.Caller);
        Assert.Equal("alpha", answer.Project);
        using var outOfScope = await host.Client.GetAsync($"api/runs-not-mapped?code={key}");
        Assert.Equal(HttpStatusCode.NotFound, outOfScope.StatusCode);
        using var queryScope = await host.Client.GetAsync($"api/projects/alpha/probe?project=beta&code={key}");
        Assert.Equal(HttpStatusCode.Forbidden, queryScope.StatusCode);
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_revocation_takes_effect()
    {
        var name = Name("revoked");
        var key = await CreateKeyAsync(new { name });
        using var admin = host.CreateClient();
        var listing = await admin.GetStringAsync("api/keys");
        Assert.Contains(name, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listing, StringComparison.Ordinal);

        using (var before = await Send(key, "api/projects/alpha/probe"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var revoke = await admin.DeleteAsync($"api/keys/{name}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var after = await Send(key, "api/projects/alpha/probe"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }

        using var again = await admin.DeleteAsync($"api/keys/{name}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain(name, await admin.GetStringAsync("api/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_key_requests_are_refused_with_the_field_named()
    {
        using var admin = host.CreateClient();
        using var badLevel = await admin.PostAsJsonAsync("api/keys", new { name = Name("x"), level = "root" });
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
        Assert.Contains("level", await badLevel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badName = await admin.PostAsJsonAsync("api/keys", new { name = "Not Valid" });
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("name", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var name = Name("dup");
        await CreateKeyAsync(new { name });
        using var duplicate = await admin.PostAsJsonAsync("api/keys", new { name });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task Correlation_id_comes_from_the_header_or_traceparent_and_is_echoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/probe/anonymous");
        request.Headers.Add("x-correlation-id", "run-42");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal("run-42", response.Headers.GetValues("x-correlation-id").Single());
        Assert.Equal("run-42", (await response.Content.ReadFromJsonAsync<ProbeAnswer>())!.CorrelationId);

        using var traced = new HttpRequestMessage(HttpMethod.Get, "api/probe/anonymous");
        traced.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        using var tracedResponse = await host.Client.SendAsync(traced);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", tracedResponse.Headers.GetValues("x-correlation-id").Single());

        using var plain = await host.Client.GetAsync("api/probe/anonymous");
        var generated = plain.Headers.GetValues("x-correlation-id").Single();
        Assert.Equal(generated, (await plain.Content.ReadFromJsonAsync<ProbeAnswer>())!.CorrelationId);
        Assert.NotEqual("run-42", generated);
    }

    [Fact]
    public async Task A_failing_function_answers_500_with_a_json_error()
    {
        using var response = await host.Client.GetAsync("api/probe/failing");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("FailingProbe", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Name(string prefix) => AzuriteFixture.UniqueName(prefix);

    private async Task<HttpResponseMessage> Send(string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-functions-key", key);
        return await host.Client.SendAsync(request);
    }

    private async Task<string> CreateKeyAsync(object body)
    {
        using var admin = host.CreateClient();
        using var response = await admin.PostAsJsonAsync("api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("key").GetString()!;
    }
}
