using System.Net;
using System.Net.Sockets;
using Serverless.Storage.Azure.Azurite;

namespace Serverless.Functions.LocalHost;

/// <summary>Starts Azurite with the host (unless one already answers on its ports) and stops it with the host.</summary>
public sealed partial class EmbeddedAzurite(AzuriteOptions options, ILogger<EmbeddedAzurite> logger) : IHostedService
{
    private AzuriteServer? _server;

    public static string ConnectionString(AzuriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var account = AzuriteServer.DevelopmentAccountName;
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={AzuriteServer.DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{options.BlobPort}/{account};" +
            $"QueueEndpoint=http://127.0.0.1:{options.QueuePort}/{account};" +
            $"TableEndpoint=http://127.0.0.1:{options.TablePort}/{account};";
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await AnswersAsync(cancellationToken))
        {
            LogAlreadyRunning(logger, options.BlobPort, options.QueuePort, options.TablePort);
            return;
        }

        LogStarting(logger, options.Location);
        _server = await AzuriteServer.StartAsync(options, logger, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        foreach (var port in new[] { options.BlobPort, options.QueuePort, options.TablePort })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "AzureWebJobsStorage is not set: using the Azurite already answering on ports {BlobPort}/{QueuePort}/{TablePort}")]
    private static partial void LogAlreadyRunning(ILogger logger, int blobPort, int queuePort, int tablePort);

    [LoggerMessage(Level = LogLevel.Information, Message = "AzureWebJobsStorage is not set: starting Azurite with data in {Location}")]
    private static partial void LogStarting(ILogger logger, string location);
}
