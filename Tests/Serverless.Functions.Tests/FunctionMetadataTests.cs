using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Functions.Composition;
using Serverless.Hosting;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

/// <summary>
/// The local host runs exactly the Function App the SDK describes: its function list (names, trigger types, routes
/// and methods, blob paths, schedules) equals the <c>functions.metadata</c> the worker SDK's build wrote for the app,
/// which is what the Functions host in Azure indexes.
/// </summary>
public sealed class FunctionMetadataTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_local_hosts_functions_are_the_builds_functions_metadata()
    {
        var metadata = ReadMetadata();
        Assert.True(metadata.Count >= 60, $"functions.metadata lists only {metadata.Count} functions.");

        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions { StorageConnectionString = azurite.ConnectionString, IncludeProduct = true });
        var running = host.Services.GetRequiredService<FunctionCatalog>().Functions;
        var declared = FunctionCatalog.Discover(typeof(ProductServices).Assembly.GetExportedTypes(), configuration: null).ToDictionary(f => f.Name);

        Assert.Equal(metadata.Keys.Order(StringComparer.Ordinal), running.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var (name, expected) in metadata)
        {
            var function = declared[name];
            Assert.Equal(expected.EntryPoint, function.EntryPoint);
            Assert.Equal(expected.Trigger.GetProperty("type").GetString(), function.TriggerType);
            switch (function.Trigger)
            {
                case HttpTriggerAttribute http:
                    Assert.Equal(Property(expected.Trigger, "route") ?? name, http.Route ?? name);
                    Assert.Equal(
                        expected.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal),
                        (http.Methods ?? []).Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal));
                    Assert.Equal(expected.Trigger.GetProperty("authLevel").GetString(), http.AuthLevel.ToString());
                    break;
                case BlobTriggerAttribute blob:
                    Assert.Equal(Property(expected.Trigger, "path"), blob.BlobPath);
                    Assert.Equal(Property(expected.Trigger, "source") ?? nameof(BlobTriggerSource.LogsAndContainerScan), blob.Source.ToString());
                    break;
                case TimerTriggerAttribute timer:
                    Assert.Equal(Property(expected.Trigger, "schedule"), timer.Schedule);
                    Assert.Equal(expected.Trigger.TryGetProperty("runOnStartup", out var startup) && startup.GetBoolean(), timer.RunOnStartup);
                    break;
            }
        }
    }

    [Fact]
    public void Every_HTTP_function_other_than_health_and_the_open_routes_declares_the_key_it_needs()
    {
        var open = new HashSet<string>(StringComparer.Ordinal) { "Health", "OipLive", "OipReady", "Dashboard", "DashboardAssets" };
        var missing = FunctionCatalog.Discover(typeof(ProductServices).Assembly.GetExportedTypes(), configuration: null)
            .Where(f => f.Trigger is HttpTriggerAttribute && f.Key is null && !open.Contains(f.Name))
            .Select(f => f.Name)
            .ToList();
        Assert.True(missing.Count == 0, "HTTP functions without [RequiresKey]: " + string.Join(", ", missing));
    }

    private static string? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, (string EntryPoint, JsonElement Trigger)> ReadMetadata()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "functions.metadata"),
            Path.Combine(RepositoryPaths.Root, "Functions", "Serverless.Functions.App", "bin", configuration, "net10.0", "functions.metadata"),
        }.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("The Function App's functions.metadata was not built.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => (f.GetProperty("entryPoint").GetString()!, f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).Clone()));
    }
}
