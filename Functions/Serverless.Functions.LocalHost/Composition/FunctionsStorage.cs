using Microsoft.AspNetCore.Builder;
using Serverless.Storage.Azure;
using Serverless.Storage.Azure.Azurite;

namespace Serverless.Functions.LocalHost;

/// <summary>
/// The one place the app touches the Azure implementation: <c>AzureWebJobsStorage</c> (connection string or
/// identity-based <c>__accountName</c>/<c>__blobServiceUri</c>...), or, when unset or
/// <c>UseDevelopmentStorage=true</c>, an Azurite on the standard ports (started with data in <c>.azurite/</c>
/// unless one already answers).
/// </summary>
public static class FunctionsStorage
{
    public const string Setting = "AzureWebJobsStorage";

    public static WebApplicationBuilder AddFunctionsStorage(this WebApplicationBuilder builder, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connection = StorageConnectionOptions.FromConfiguration(builder.Configuration, Setting);
        var development = !connection.IsConfigured
            || string.Equals(connection.ConnectionString?.Trim().TrimEnd(';'), "UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);
        if (development)
        {
            var azurite = AzuriteOptions.Default(Path.Combine(rootPath, ".azurite"));
            builder.Services.AddSingleton(azurite);
            builder.Services.AddHostedService<EmbeddedAzurite>(); // before the host's services, which need storage at start
            connection = new StorageConnectionOptions { ConnectionString = EmbeddedAzurite.ConnectionString(azurite) };
        }

        builder.Services.AddAzureStorage(_ => connection);
        return builder;
    }
}
