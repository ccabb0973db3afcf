using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Storage;

namespace Serverless.Hosting.Keys;

/// <summary>
/// Function and admin keys in Table storage, one partition: a row per key hash (<c>hash:{sha256}</c>, for O(1)
/// lookup) and a row per name (<c>name:{name}</c>), written and deleted together atomically.
/// </summary>
public sealed class FunctionKeyStore(ITableStore tables, IOptions<KeysOptions> options)
{
    /// <summary>Reserved name of the stored (generated) master key.</summary>
    public const string MasterKeyName = "master";

    private const string Partition = "keys";
    private string Table => options.Value.TableName;

    public Task InitializeAsync(CancellationToken cancellationToken) => tables.CreateTableIfNotExistsAsync(Table, cancellationToken);

    /// <exception cref="StorageConflictException">A key with this name exists.</exception>
    public async Task<CreatedFunctionKey> CreateAsync(string name, AuthorizationLevel level, IReadOnlyList<string> projects, KeyPermissions? permissions, CancellationToken cancellationToken)
    {
        var value = KeySecrets.Generate();
        var key = new FunctionKey(name, level, projects, DateTimeOffset.UtcNow, permissions);
        await StoreAsync(key, KeySecrets.Hash(value), cancellationToken).ConfigureAwait(false);
        return new CreatedFunctionKey(key, value);
    }

    /// <summary>Stores a key whose secret the caller already has (the master key).</summary>
    /// <exception cref="StorageConflictException">A key with this name exists.</exception>
    public async Task StoreAsync(FunctionKey key, string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var hashRow = new TableEntity(Partition, "hash:" + hash).With(
            ("Name", key.Name),
            ("Level", key.Level.ToString()),
            ("Projects", string.Join(',', key.Projects)),
            ("CreatedAt", key.CreatedAt),
            ("Permissions", key.Permissions is { } permissions ? string.Join(',', KeyPermissionNames.Format(permissions)) : null));
        var nameRow = new TableEntity(Partition, "name:" + key.Name).With(("Hash", hash));
        await tables.SubmitTransactionAsync(Table, [TableOperation.Add(nameRow), TableOperation.Add(hashRow)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await tables.GetAsync(Table, Partition, "name:" + name, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (StorageNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Every stored key with its hash, read in one query (none when the table does not exist yet).</summary>
    public async Task<IReadOnlyDictionary<string, FunctionKey>> LoadByHashAsync(CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, FunctionKey>(StringComparer.Ordinal);
        try
        {
            await foreach (var row in tables.QueryAsync(Table, TableQuery.RowKeyPrefix(Partition, "hash:"), cancellationToken).ConfigureAwait(false))
            {
                keys[row.RowKey["hash:".Length..]] = ToKey(row);
            }
        }
        catch (StorageNotFoundException)
        {
            // table not created yet: no keys
        }

        return keys;
    }

    public async IAsyncEnumerable<FunctionKey> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in tables.QueryAsync(Table, TableQuery.RowKeyPrefix(Partition, "hash:"), cancellationToken).ConfigureAwait(false))
        {
            yield return ToKey(row);
        }
    }

    /// <returns>The revoked key's hash, or <c>null</c> when no key has this name.</returns>
    public async Task<string?> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var nameRow = await tables.GetAsync(Table, Partition, "name:" + name, cancellationToken).ConfigureAwait(false);
        if (nameRow?.GetString("Hash") is not { } hash)
        {
            return null;
        }

        var hashRow = new TableEntity(Partition, "hash:" + hash) { ETag = ETag.All };
        await tables.SubmitTransactionAsync(Table, [TableOperation.Delete(nameRow), TableOperation.Delete(hashRow)], cancellationToken).ConfigureAwait(false);
        return hash;
    }

    private static FunctionKey ToKey(TableEntity row) => new(
        row.GetString("Name") ?? row.RowKey,
        Enum.TryParse<AuthorizationLevel>(row.GetString("Level"), out var level) ? level : AuthorizationLevel.Function,
        (row.GetString("Projects") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.Parse("2000-01-01", CultureInfo.InvariantCulture),
        ReadPermissions(row.GetString("Permissions")));

    /// <summary>A stored permission list; an unreadable one grants nothing rather than everything.</summary>
    private static KeyPermissions? ReadPermissions(string? stored) =>
        stored is null ? null
        : KeyPermissionNames.TryParse(stored.Split(',', StringSplitOptions.RemoveEmptyEntries), out var permissions, out _) ? permissions
        : KeyPermissions.None;
}
