using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Serverless.Storage.Azure;

/// <summary>The three service clients of one storage account, made from <see cref="StorageConnectionOptions"/>.</summary>
public sealed class AzureStorageClients
{
    public AzureStorageClients(StorageConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Blobs = new BlobServiceClient(options.ConnectionString);
            Queues = new QueueServiceClient(options.ConnectionString, queueOptions);
            Tables = new TableServiceClient(options.ConnectionString);
        }
        else if (options.BlobServiceUri is not null && options.QueueServiceUri is not null && options.TableServiceUri is not null)
        {
            TokenCredential credential = new DefaultAzureCredential();
            Blobs = new BlobServiceClient(options.BlobServiceUri, credential);
            Queues = new QueueServiceClient(options.QueueServiceUri, credential, queueOptions);
            Tables = new TableServiceClient(options.TableServiceUri, credential);
        }
        else
        {
            throw new InvalidOperationException(
                "Storage is not configured: set AzureWebJobsStorage to a connection string, or AzureWebJobsStorage__accountName " +
                "(or the three AzureWebJobsStorage__blobServiceUri/__queueServiceUri/__tableServiceUri settings) to use DefaultAzureCredential.");
        }

        AccountName = Blobs.AccountName;
    }

    public string AccountName { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }
}
