using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Issue 12 item 8 over HTTP on the real host: a project created by an upload alone (no project.json) is trained,
/// promoted and listed by <c>GET /api/projects</c> with the defaults it was trained with, marked <c>specSource: inferred</c>,
/// and <c>GET /api/projects/{project}</c> answers it; a key scoped to another project sees neither.
/// </summary>
public sealed class InferredProjectTests(ProductHost host) : IClassFixture<ProductHost>
{
    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task A_project_uploaded_without_a_spec_is_listed_with_its_inferred_defaults()
    {
        var project = AzuriteFixture.UniqueName("pima");
        await _user.UploadAsync(project, "2026/12/pima2.csv", await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv")));
        var run = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1, TimeSpan.FromMinutes(6))); // all default trainers, on a loaded CI
        Assert.True(run.GetProperty("status").GetString() == "Promoted", run.ToString());
        var label = run.GetProperty("dataset").GetProperty("label").GetString();
        Assert.Equal("diabetes", label); // the last column: pima2.csv has neither "label" nor "target"

        var listed = (await _user.Admin.GetFromJsonAsync("api/projects")).GetProperty("projects").EnumerateArray()
            .SingleOrDefault(p => p.GetProperty("name").GetString() == project);
        Assert.True(listed.ValueKind == JsonValueKind.Object, $"{project} is not in GET /api/projects");
        AssertInferred(listed, label);

        using var single = await _user.Admin.GetAsync($"api/projects/{project}");
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        AssertInferred(JsonDocument.Parse(await single.Content.ReadAsStringAsync()).RootElement, label);

        using var other = host.CreateClient(await CreateKeyAsync(new { name = AzuriteFixture.UniqueName("other"), projects = new[] { "wine" } }));
        var seen = await other.GetFromJsonAsync("api/projects");
        Assert.DoesNotContain(seen.GetProperty("projects").EnumerateArray(), p => p.GetProperty("name").GetString() == project);
        using var hidden = await other.GetAsync($"api/projects/{project}");
        Assert.NotEqual(HttpStatusCode.OK, hidden.StatusCode);
    }

    [Fact]
    public async Task A_project_with_a_stored_spec_is_marked_stored()
    {
        var project = AzuriteFixture.UniqueName("spec");
        using var put = await _user.Admin.PutAsync($"api/projects/{project}", new StringContent("""{ "label": "y" }"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var listed = (await _user.Admin.GetFromJsonAsync("api/projects")).GetProperty("projects").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == project);
        Assert.Equal("stored", listed.GetProperty("specSource").GetString());
        Assert.Equal("y", listed.GetProperty("spec").GetProperty("label").GetString());
    }

    private static void AssertInferred(JsonElement project, string? label)
    {
        Assert.Equal("inferred", project.GetProperty("specSource").GetString());
        Assert.Equal(label, project.GetProperty("spec").GetProperty("label").GetString());
    }

    private async Task<string> CreateKeyAsync(object body)
    {
        using var response = await _user.Admin.PostAsJsonAsync("api/keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }
}
