using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>Every route that names a project, model or alias refuses an invalid name with a 400 naming it, and creates nothing.</summary>
public sealed class RouteNameTests(ProductHost host) : IClassFixture<ProductHost>
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", "api/projects/Bad_Name", "Project" },
        { "PUT", "api/projects/Bad_Name", "Project" },
        { "GET", "api/projects/Bad_Name/datasets", "Project" },
        { "POST", "api/projects/Bad_Name/runs", "Project" },
        { "GET", "api/models/Bad_Name", "Model" },
        { "GET", "api/models/Bad_Name/audit", "Model" },
        { "PUT", "api/models/fine/aliases/Bad_Name", "Alias" },
        { "DELETE", "api/models/Bad_Name/aliases/production", "Model" },
        { "GET", "api/models/Bad_Name/traffic", "Model" },
        { "PUT", "api/models/Bad_Name/traffic", "Model" },
        { "GET", "api/models/Bad_Name/uploads", "Model" },
        { "GET", "api/models/Bad_Name/monitoring", "Model" },
        { "POST", "api/models/Bad_Name/monitoring/check", "Model" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_invalid_name_in_the_route_is_a_400_naming_it(string method, string route, string kind)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method is "PUT" or "POST")
        {
            request.Content = JsonContent.Create(new { version = 1, label = "y", reason = "test" });
        }

        using var admin = host.CreateClient();
        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.StartsWith(kind, error, StringComparison.Ordinal);
        Assert.Contains("Bad_Name", error, StringComparison.Ordinal);
        var projects = await admin.GetStringAsync("api/projects");
        Assert.DoesNotContain("Bad_Name", projects, StringComparison.OrdinalIgnoreCase);
    }
}
