using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class FunctionCatalogTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Container"] = "datasets", ["Schedule"] = "0 */5 * * * *" })
        .Build();

    [Fact]
    public void Discovers_functions_and_resolves_setting_references()
    {
        var catalog = new FunctionCatalog([new FunctionSource([typeof(GoodFunctions)])], Settings);
        Assert.Equal(["OnUpload", "Ping", "Sweep"], catalog.Functions.Select(f => f.Name));
        Assert.Equal("datasets/{project}/{*path}", ((BlobTriggerAttribute)catalog.Functions[0].Trigger).BlobPath);
        Assert.Equal("0 */5 * * * *", ((TimerTriggerAttribute)catalog.Functions[2].Trigger).Schedule);
        Assert.True(((TimerTriggerAttribute)catalog.Functions[2].Trigger).RunOnStartup);
    }

    [Fact]
    public void Refuses_duplicates_missing_triggers_and_missing_settings_naming_the_function()
    {
        Assert.Contains("'Ping'", Assert.Throws<InvalidOperationException>(() => new FunctionCatalog([new FunctionSource([typeof(GoodFunctions), typeof(DuplicateFunctions)])], Settings)).Message, StringComparison.Ordinal);
        Assert.Contains("NoTrigger", Assert.Throws<InvalidOperationException>(() => new FunctionCatalog([new FunctionSource([typeof(NoTriggerFunctions)])], Settings)).Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidOperationException>(() => new FunctionCatalog([new FunctionSource([typeof(GoodFunctions)])], new ConfigurationBuilder().Build()));
        Assert.Contains("Container", missing.Message, StringComparison.Ordinal);
    }

    public sealed class GoodFunctions
    {
        [Function("Ping")]
        public string Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "pong";

        [Function("OnUpload")]
        public void OnUpload([BlobTrigger("%Container%/{project}/{*path}")] Stream blob) { }

        [Function("Sweep")]
        public void Sweep([TimerTrigger("%Schedule%", RunOnStartup = true)] TimerInfo timer) { }
    }

    public sealed class DuplicateFunctions
    {
        [Function("Ping")]
        public string Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "pong";
    }

    public sealed class NoTriggerFunctions
    {
        [Function("NoTrigger")]
        public void Run(string input) { }
    }
}
