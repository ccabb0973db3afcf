using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Testing;
using Xunit;

namespace Serverless.Infra.Tests;

/// <summary>Compiles <c>infra/main.bicep</c> with the real Bicep compiler and checks what the deployment promises.</summary>
public sealed partial class MainTemplateTests
{
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string Sites = "Microsoft.Web/sites";
    private const string ServerFarms = "Microsoft.Web/serverfarms";
    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
    private const string SystemTopics = "Microsoft.EventGrid/systemTopics";
    private const string EventSubscriptions = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    private static readonly Lazy<(int ExitCode, string Template, string Diagnostics)> Compiled = new(Compile);

    [Fact]
    public void The_template_compiles_without_warnings()
    {
        var (exitCode, template, diagnostics) = Compiled.Value;
        Assert.True(exitCode == 0, diagnostics);
        Assert.DoesNotContain("Warning", diagnostics, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(template);
    }

    [Fact]
    public void Storage_holds_the_contract_containers_and_allows_no_shared_keys()
    {
        var resources = Resources();
        var containers = resources.Where(r => Type(r) == "Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        var loop = containers.Single(r => r["copy"] is not null);
        Assert.Contains("userContainers", (string?)loop["copy"]!["count"], StringComparison.Ordinal);
        var names = Variables()["userContainers"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Equal(["datasets", "model-uploads", "scoring-input", "scoring-output", "artifacts"], names);

        // The deployment package has its own container.
        var package = containers.Single(r => r["copy"] is null);
        Assert.EndsWith("'default', variables('deploymentContainer'))]", (string?)package["name"], StringComparison.Ordinal);
        Assert.Equal("app-package", (string?)Variables()["deploymentContainer"]);

        var account = resources.Single(r => Type(r) == StorageAccounts);
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        Assert.False((bool)account["properties"]!["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void The_plan_is_Flex_Consumption_FC1_on_Linux_and_no_App_Service_plan_is_left()
    {
        var plan = Resources().Single(r => Type(r) == ServerFarms);
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!); // Linux
        Assert.Null(plan["sku"]!["capacity"]); // Flex scales the app, not the plan

        var template = Compiled.Value.Template;
        foreach (var appService in new[] { "P1v3", "P2v3", "P3v3", "linuxFxVersion", "alwaysOn", "appCommandLine", "eventQueueName" })
        {
            Assert.DoesNotContain(appService, template, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Null(Parameters()["planSku"]);
        Assert.Null(Parameters()["instanceCount"]);
    }

    [Fact]
    public void The_app_runs_dotnet_isolated_10_from_a_package_its_identity_reads()
    {
        var site = Site();
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Contains("Microsoft.Web/serverfarms", (string?)site["properties"]!["serverFarmId"], StringComparison.Ordinal);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);

        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", Resolve((string?)config["runtime"]!["version"]));

        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        var url = (string?)storage["value"];
        Assert.Contains("primaryEndpoints.blob", url, StringComparison.Ordinal);
        Assert.Contains("variables('deploymentContainer')", url, StringComparison.Ordinal);
        Assert.Equal("app-package", (string?)Variables()["deploymentContainer"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", (string?)storage["authentication"]!["userAssignedIdentityResourceId"], StringComparison.Ordinal);
        Assert.Null(storage["authentication"]!["storageAccountConnectionStringName"]);

        var scale = config["scaleAndConcurrency"]!;
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)scale["maximumInstanceCount"]);
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)scale["instanceMemoryMB"]);
        var parameters = Parameters();
        Assert.Equal(1000, (int)parameters["maximumInstanceCount"]!["maxValue"]!);
        Assert.Equal([512, 2048, 4096], parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => (int)v!));

        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        var settings = Settings();
        foreach (var retired in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING" })
        {
            Assert.DoesNotContain(retired, settings.Keys);
        }
    }

    [Fact]
    public void The_app_reaches_storage_with_its_identity_and_no_key_or_connection_string()
    {
        var settings = Settings();
        Assert.Equal("[variables('storageName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", settings["AzureWebJobsStorage__clientId"], StringComparison.Ordinal);
        Assert.EndsWith(".clientId]", settings["AzureWebJobsStorage__clientId"], StringComparison.Ordinal);
        Assert.Equal(settings["AzureWebJobsStorage__clientId"], settings["AZURE_CLIENT_ID"]); // the product's own clients
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // no connection string
        foreach (var (name, value) in settings)
        {
            foreach (var secret in new[] { "AccountKey=", "listKeys(", "listAccountSas(", "listServiceSas(", "SharedAccessSignature=", "DefaultEndpointsProtocol=" })
            {
                Assert.False(value.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{name} holds {secret}");
            }
        }

        // The only keys the template ever lists are the Functions host's (for the Event Grid webhooks), never the storage account's.
        var listed = ListCall().Matches(Compiled.Value.Template).Select(m => m.Value).ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, call => Assert.Equal("listKeys(resourceId('Microsoft.Web/sites/host'", call));
    }

    [Fact]
    public void The_identity_holds_the_blob_queue_and_table_data_roles_on_the_account()
    {
        var roles = Resources().Where(r => Type(r) == RoleAssignments).ToList();
        var storageRoles = roles.Single(r => r["copy"] is not null);
        Assert.Contains(StorageAccounts, (string?)storageRoles["scope"], StringComparison.Ordinal);
        var loop = (string?)storageRoles["copy"]!["count"];
        var expected = new Dictionary<string, string>
        {
            ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        };
        foreach (var (role, id) in expected)
        {
            Assert.Contains($"variables('{role}')", loop, StringComparison.Ordinal);
            Assert.Equal(id, (string?)Variables()[role]);
        }
        Assert.Equal("[length(createArray(variables('storageBlobDataOwner'), variables('storageQueueDataContributor'), variables('storageTableDataContributor')))]", loop);
        var principal = (string?)storageRoles["properties"]!["principalId"];
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", principal, StringComparison.Ordinal);
        Assert.EndsWith(".principalId]", principal, StringComparison.Ordinal);

        // The site starts only once its identity may read the deployment container and the durable hub.
        var dependsOn = Site()["dependsOn"]!.AsArray().Select(d => (string?)d).ToList();
        Assert.Contains("roleAssignments", dependsOn);
    }

    [Fact]
    public void Application_Insights_is_workspace_based_and_feeds_on_the_app_identity()
    {
        var resources = Resources();
        var insights = resources.Single(r => Type(r) == "Microsoft.Insights/components");
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["properties"]!["WorkspaceResourceId"], StringComparison.Ordinal);
        Assert.Single(resources, r => Type(r) == "Microsoft.OperationalInsights/workspaces");

        var settings = Settings();
        Assert.Contains("Microsoft.Insights/components", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.EndsWith(".ConnectionString]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);

        var publisher = resources.Single(r => Type(r) == RoleAssignments && r["copy"] is null);
        Assert.Contains("Microsoft.Insights/components", (string?)publisher["scope"], StringComparison.Ordinal);
        Assert.Contains("variables('monitoringMetricsPublisher')", (string?)publisher["properties"]!["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", (string?)Variables()["monitoringMetricsPublisher"]);
    }

    [Fact]
    public void The_durable_hub_and_the_product_secrets_are_app_settings()
    {
        var settings = Settings();
        Assert.Equal("[parameters('hubName')]", settings["AzureFunctionsJobHost__extensions__durableTask__hubName"]);
        Assert.Equal("mlops", (string?)Parameters()["hubName"]!["defaultValue"]);
        Assert.Equal("[parameters('webhookSecretKey')]", settings["Product__Webhooks__SecretKey"]);
        var secretKey = Parameters()["webhookSecretKey"]!;
        Assert.Equal("securestring", (string?)secretKey["type"]);
        Assert.Null(secretKey["defaultValue"]); // never a default that changes per deployment
    }

    [Fact]
    public void The_master_key_is_a_required_secure_parameter_set_as_the_MasterKey_setting()
    {
        var parameter = Parameters()["masterKey"]!;
        Assert.Equal("securestring", (string?)parameter["type"]);
        Assert.Null(parameter["defaultValue"]); // no generated or empty default: a deployment must pass it
        Assert.True((int)parameter["minLength"]! >= 32);
        Assert.Equal("[parameters('masterKey')]", Settings()["MasterKey"]);
    }

    [Fact]
    public void An_Event_Grid_system_topic_watches_the_storage_account()
    {
        var topic = Resources().Single(r => Type(r) == SystemTopics);
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["properties"]!["topicType"]);
        Assert.Equal($"[resourceId('{StorageAccounts}', variables('storageName'))]", (string?)topic["properties"]!["source"]);
        Assert.Equal("[parameters('location')]", (string?)topic["location"]);
    }

    [Fact]
    public void Each_blob_trigger_gets_a_BlobCreated_webhook_subscription_once_blob_events_are_subscribed()
    {
        var subscriptions = Resources().Single(r => Type(r) == EventSubscriptions);
        Assert.Equal("[parameters('subscribeBlobEvents')]", (string?)subscriptions["condition"]);
        Assert.False((bool)Parameters()["subscribeBlobEvents"]!["defaultValue"]!); // the key exists only after the code is deployed
        Assert.Equal("[length(variables('blobTriggers'))]", (string?)subscriptions["copy"]!["count"]);
        var triggers = Variables()["blobTriggers"]!.AsArray()
            .Select(t => ((string?)t!["function"], (string?)t["container"]))
            .ToList();
        Assert.Equal(
            [("OnDatasetUploaded", "datasets"), ("OnModelUploaded", "model-uploads"), ("OnScoringInputUploaded", "scoring-input")],
            triggers);

        var properties = subscriptions["properties"]!;
        Assert.Equal(["Microsoft.Storage.BlobCreated"], properties["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(
            "[format('/blobServices/default/containers/{0}/', variables('blobTriggers')[copyIndex()].container)]",
            (string?)properties["filter"]!["subjectBeginsWith"]);

        var destination = properties["destination"]!;
        Assert.Equal("WebHook", (string?)destination["endpointType"]);
        var endpoint = (string?)destination["properties"]!["endpointUrl"];
        Assert.StartsWith(
            "[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', " +
            $"reference(resourceId('{Sites}', variables('appName')), '2024-11-01').defaultHostName, " +
            "variables('blobTriggers')[copyIndex()].function, " +
            "if(parameters('subscribeBlobEvents'), listKeys(resourceId('Microsoft.Web/sites/host', variables('appName'), 'default'), ",
            endpoint,
            StringComparison.Ordinal);
        Assert.EndsWith(").systemKeys.blobs_extension, ''))]", endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subscribed_functions_are_the_blob_triggers_of_the_code_and_their_containers_resolve()
    {
        // [Function("Name")] followed by [BlobTrigger("%Setting%/...")] in the Function App's sources.
        var code = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => BlobTriggeredFunction().Matches(File.ReadAllText(f)))
            .GroupBy(m => m.Groups["function"].Value)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["setting"].Value).Distinct().Single());
        var settings = Settings();
        var triggers = Variables()["blobTriggers"]!.AsArray().ToDictionary(t => (string)t!["function"]!, t => (string)t!["container"]!);

        Assert.Equal(code.Keys.Order(), triggers.Keys.Order()); // every blob trigger is subscribed, and nothing else
        foreach (var (function, setting) in code)
        {
            // The host resolves %Product:DatasetsContainer% from the app setting Product__DatasetsContainer.
            var name = setting.Replace(":", "__", StringComparison.Ordinal);
            Assert.True(settings.TryGetValue(name, out var container), $"{function} watches %{setting}%, which no app setting names");
            Assert.Equal(triggers[function], container);
            Assert.Contains(container, Variables()["userContainers"]!.AsArray().Select(c => (string?)c));
        }
    }

    [Fact]
    public void The_outputs_name_the_app_and_its_url()
    {
        var outputs = JsonNode.Parse(Compiled.Value.Template)!["outputs"]!;
        Assert.Equal("[variables('appName')]", (string?)outputs["appName"]!["value"]);
        Assert.Equal($"[format('https://{{0}}', reference(resourceId('{Sites}', variables('appName')), '2024-11-01').defaultHostName)]", (string?)outputs["hostUrl"]!["value"]);
    }

    [GeneratedRegex(@"\blist\w*\([^,]+", RegexOptions.IgnoreCase)]
    private static partial Regex ListCall();

    [GeneratedRegex(@"\[Function\(""(?<function>\w+)""\)\]\s*public[^(]*\(\s*\[BlobTrigger\(""%(?<setting>[^%]+)%/")]
    private static partial Regex BlobTriggeredFunction();

    private static string? Type(JsonNode resource) => (string?)resource["type"];

    private static JsonNode Site() => Resources().Single(r => Type(r) == Sites);

    /// <summary>App settings of the site: name to the (unevaluated) value expression.</summary>
    private static Dictionary<string, string> Settings() =>
        Site()["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

    /// <summary>A literal, or the literal variable that is exactly <c>[variables('x')]</c>.</summary>
    private static string Resolve(string? value)
    {
        var match = Regex.Match(value ?? "", @"^\[variables\('(?<name>\w+)'\)\]$");
        return match.Success ? (string)Variables()[match.Groups["name"].Value]! : value ?? "";
    }

    private static JsonNode Variables() => JsonNode.Parse(Compiled.Value.Template)!["variables"]!;

    private static JsonNode Parameters() => JsonNode.Parse(Compiled.Value.Template)!["parameters"]!;

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
