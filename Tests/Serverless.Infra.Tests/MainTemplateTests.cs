using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Serverless.Testing;
using Xunit;

namespace Serverless.Infra.Tests;

/// <summary>Compiles <c>infra/main.bicep</c> with the real Bicep compiler and checks what the deployment promises.</summary>
public sealed class MainTemplateTests
{
    private static readonly Lazy<(int ExitCode, string Template, string Diagnostics)> Compiled = new(Compile);

    [Fact]
    public void The_template_compiles_without_warnings()
    {
        var (exitCode, _, diagnostics) = Compiled.Value;
        Assert.True(exitCode == 0, diagnostics);
        Assert.DoesNotContain("Warning", diagnostics, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storage_holds_the_contract_containers_and_allows_no_shared_keys()
    {
        var resources = Resources();
        var containers = resources.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Contains("userContainers", (string?)containers["copy"]!["count"], StringComparison.Ordinal);
        var names = Variables()["userContainers"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Equal(["datasets", "model-uploads", "scoring-input", "scoring-output", "artifacts"], names);

        var account = resources.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts");
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        Assert.False((bool)account["properties"]!["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void The_host_uses_its_managed_identity_and_checks_health()
    {
        var site = Resources().Single(r => (string?)r["type"] == "Microsoft.Web/sites");
        var config = site["properties"]!["siteConfig"]!;
        Assert.Equal("/api/health", (string?)config["healthCheckPath"]);
        Assert.True((bool)config["alwaysOn"]!);
        var settings = config["appSettings"]!.AsArray().Select(s => (string?)s!["name"]).ToList();
        Assert.Contains("AzureWebJobsStorage__accountName", settings);
        Assert.DoesNotContain("AzureWebJobsStorage", settings); // no connection string with a key
        Assert.Contains("Product__Webhooks__SecretKey", settings); // webhook secrets are encrypted at rest in Azure too
        var parameters = JsonNode.Parse(Compiled.Value.Template)!["parameters"]!;
        Assert.Equal("securestring", (string?)parameters["webhookSecretKey"]!["type"]);
        Assert.Null(parameters["webhookSecretKey"]!["defaultValue"]); // never a default that changes per deployment
        var roles = Resources().Single(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments");
        var loop = (string?)roles["copy"]!["count"];
        foreach (var role in new[] { "storageBlobDataOwner", "storageQueueDataContributor", "storageTableDataContributor" })
        {
            Assert.Contains(role, loop, StringComparison.Ordinal); // blob, queue and table data roles, no keys
        }
    }

    [Fact]
    public void The_master_key_is_a_required_secure_parameter_set_as_the_MasterKey_setting()
    {
        var parameter = JsonNode.Parse(Compiled.Value.Template)!["parameters"]!["masterKey"]!;
        Assert.Equal("securestring", (string?)parameter["type"]);
        Assert.Null(parameter["defaultValue"]); // no generated or empty default: a deployment must pass it
        Assert.True((int)parameter["minLength"]! >= 32);
        var site = Resources().Single(r => (string?)r["type"] == "Microsoft.Web/sites");
        var setting = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Single(s => (string?)s!["name"] == "MasterKey")!;
        Assert.Equal("[parameters('masterKey')]", (string?)setting["value"]);
    }

    private static JsonNode Variables() => JsonNode.Parse(Compiled.Value.Template)!["variables"]!;

    private static List<JsonNode> Resources()
    {
        var template = JsonNode.Parse(Compiled.Value.Template)!;
        var resources = template["resources"]!;
        return resources is JsonArray array
            ? array.Select(r => r!).ToList()
            : resources.AsObject().Select(kv => kv.Value!).ToList();
    }

    private static (int, string, string) Compile()
    {
        var bicep = typeof(MainTemplateTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        var start = new ProcessStartInfo(bicep.Replace('\\', '/'))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("build");
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "infra", "main.bicep"));
        start.ArgumentList.Add("--stdout");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
