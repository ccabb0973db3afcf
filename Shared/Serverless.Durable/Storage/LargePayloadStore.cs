using Serverless.Storage;

namespace Serverless.Durable.Storage;

/// <summary>Keeps payloads too large for a queue message or a table property in the hub's large-message container, under the instance id.</summary>
internal sealed class LargePayloadStore(IBlobStore blobs, TaskHubNames names)
{
    /// <summary>Table storage keeps at most 64 KiB (32 K UTF-16 characters) per string property.</summary>
    public const int MaxTablePropertyLength = 30_000;

    public async Task<string> SaveAsync(string instanceId, string content, CancellationToken cancellationToken)
    {
        var name = $"{Uri.EscapeDataString(instanceId)}/{Guid.NewGuid():N}.json";
        await blobs.UploadTextAsync(names.LargeMessagesContainer, name, content, BlobWriteOptions.Overwrite, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <exception cref="StorageNotFoundException">The payload blob is missing.</exception>
    public Task<string> LoadAsync(string name, CancellationToken cancellationToken) =>
        blobs.DownloadTextAsync(names.LargeMessagesContainer, name, cancellationToken);

    public async Task<int> DeleteInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var blob in blobs.ListAsync(names.LargeMessagesContainer, Uri.EscapeDataString(instanceId) + "/", cancellationToken).ConfigureAwait(false))
        {
            if (await blobs.DeleteIfExistsAsync(names.LargeMessagesContainer, blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>Stores <paramref name="value"/> in a table property, or in a blob named by <c>{property}Blob</c> when it is too long.</summary>
    public async Task<(string Name, object? Value)[]> ToPropertiesAsync(string instanceId, string property, string? value, CancellationToken cancellationToken)
    {
        if (value is null || value.Length <= MaxTablePropertyLength)
        {
            return [(property, value), (property + "Blob", null)];
        }

        var blob = await SaveAsync(instanceId, value, cancellationToken).ConfigureAwait(false);
        return [(property, null), (property + "Blob", blob)];
    }

    public async Task<string?> FromPropertiesAsync(TableEntity entity, string property, CancellationToken cancellationToken) =>
        entity.GetString(property + "Blob") is { } blob
            ? await LoadAsync(blob, cancellationToken).ConfigureAwait(false)
            : entity.GetString(property);
}
