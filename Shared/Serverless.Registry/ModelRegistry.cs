using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Registry;

/// <summary>
/// Registered models, their immutable versions and movable aliases. All of a model's rows share one
/// table partition, so a registration (counter, version, idempotency row) and an alias change (alias
/// row, its audit entry and its <c>alias.changed</c> event in the <see cref="ModelAliasOutbox"/>) are each one
/// atomic transaction.
/// </summary>
public sealed class ModelRegistry(ITableStore tables, IBlobStore blobs, RegistryTables? names = null)
{
    private const int MaxConcurrencyRetries = 20;
    private readonly RegistryTables _names = names ?? RegistryTables.Default;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await tables.CreateTableIfNotExistsAsync(_names.Models, cancellationToken).ConfigureAwait(false);
        await blobs.CreateContainerIfNotExistsAsync(_names.ArtifactsContainer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers the next version of a model. Idempotent per <see cref="ModelRegistration.RegistrationId"/>
    /// (a pipeline run id): registering again returns the version registered the first time and writes nothing,
    /// so re-running a run (an identical dataset re-uploaded after its durable instance was purged, or an
    /// activity retried) never changes a registered version's files.
    /// </summary>
    /// <remarks>
    /// A version's files are written create-only into a folder of their own attempt
    /// (<c>models/{model}/{registrationId}/{attempt}/</c>), so no write can replace bytes that a version (or a
    /// concurrent registration of the same run) refers to; an attempt that loses a race removes its own files.
    /// </remarks>
    public async Task<ModelVersion> RegisterAsync(ModelRegistration registration, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await RegisterWithOutcomeAsync(registration, now, cancellationToken).ConfigureAwait(false)).Version;

    /// <summary>
    /// Registers like <see cref="RegisterAsync"/>, and says whether the version was registered by an earlier execution of
    /// the same run (another <see cref="ModelRegistration.AttemptId"/>), in which case nothing was written now.
    /// </summary>
    public async Task<ModelRegistrationOutcome> RegisterWithOutcomeAsync(ModelRegistration registration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RequireName(registration.Model);
        var model = registration.Model;
        if (await FindRegisteredAsync(model, registration.RegistrationId, cancellationToken).ConfigureAwait(false) is { } registered)
        {
            return Outcome(registered, registration);
        }

        var folder = $"models/{model}/{registration.RegistrationId}/{Guid.NewGuid():N}";
        var onnxPath = folder + "/model.onnx";
        var written = new List<string>();
        await WriteOnceAsync(onnxPath, registration.Onnx, "application/octet-stream", written, cancellationToken).ConfigureAwait(false);
        string? cardPath = null;
        if (registration.ModelCardMarkdown is not null)
        {
            cardPath = folder + "/model-card.md";
            await WriteOnceAsync(cardPath, Encoding.UTF8.GetBytes(registration.ModelCardMarkdown), "text/markdown", written, cancellationToken).ConfigureAwait(false);
        }

        if (registration.ModelCardJson is not null)
        {
            await WriteOnceAsync(folder + "/model-card.json", Encoding.UTF8.GetBytes(registration.ModelCardJson), "application/json", written, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            if (await FindRegisteredAsync(model, registration.RegistrationId, cancellationToken).ConfigureAwait(false) is { } raced)
            {
                // Another attempt registered this run first; unless a commit of ours was reported as a conflict
                // (a retried request), this attempt's files are named by nothing.
                if (!raced.Version.OnnxPath.StartsWith(folder + "/", StringComparison.Ordinal))
                {
                    await DeleteUnreferencedAsync(written, cancellationToken).ConfigureAwait(false);
                }

                return Outcome(raced, registration);
            }

            var modelRow = await tables.GetAsync(_names.Models, model, RowKeys.ModelRow, cancellationToken).ConfigureAwait(false);
            var next = (modelRow?.GetInt32("LatestVersion") ?? 0) + 1;
            var version = new ModelVersion(model, next, now, registration.Signature, registration.Metrics, registration.Lineage, onnxPath, cardPath)
            {
                FeatureImportance = registration.FeatureImportance,
                Slices = registration.Slices,
            };

            // One manifest per candidate number, each written once: only this attempt writes in its folder.
            var manifestPath = folder + $"/version-{next.ToString(CultureInfo.InvariantCulture)}.json";
            if (!written.Contains(manifestPath))
            {
                await WriteOnceAsync(manifestPath, Encoding.UTF8.GetBytes(RegistryJson.Serialize(version)), "application/json", written, cancellationToken).ConfigureAwait(false);
            }

            var counter = modelRow is null
                ? TableOperation.Add(new TableEntity(model, RowKeys.ModelRow, new Dictionary<string, object?>
                {
                    ["LatestVersion"] = next,
                    ["Project"] = registration.Lineage.Project,
                    ["CreatedAt"] = now,
                }))
                : TableOperation.Update(modelRow.With(("LatestVersion", next)));
            var operations = new List<TableOperation>
            {
                counter,
                TableOperation.Add(new TableEntity(model, RowKeys.Version(next), new Dictionary<string, object?>
                {
                    ["Version"] = next,
                    ["CreatedAt"] = now,
                    ["RegistrationId"] = registration.RegistrationId,
                    ["Manifest"] = manifestPath,
                    ["Metrics"] = RegistryJson.Serialize(registration.Metrics),
                    ["Source"] = registration.Lineage.Source,
                })),
                TableOperation.Add(new TableEntity(model, RowKeys.RunPrefix + registration.RegistrationId, new Dictionary<string, object?>
                {
                    ["Version"] = next,
                    ["Attempt"] = registration.AttemptId,
                })),
            };

            try
            {
                await tables.SubmitTransactionAsync(_names.Models, operations, cancellationToken).ConfigureAwait(false);
                return new ModelRegistrationOutcome(version, AlreadyRegistered: false);
            }
            catch (StorageConflictException)
            {
                // Another registration took this number (or this run was registered meanwhile): read again and retry.
            }
        }

        throw new StorageConflictException($"Could not register a version of model '{model}' after {MaxConcurrencyRetries} attempts under contention.");
    }

    public async Task<RegisteredModel?> GetModelAsync(string model, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        TableEntity? modelRow = null;
        var aliases = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in tables.QueryAsync(_names.Models, TableQuery.Partition(model), cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == RowKeys.ModelRow)
            {
                modelRow = row;
            }
            else if (row.RowKey.StartsWith(RowKeys.AliasPrefix, StringComparison.Ordinal) && row.GetInt32("Version") is int version)
            {
                aliases[row.RowKey[RowKeys.AliasPrefix.Length..]] = version;
            }
        }

        return modelRow is null ? null : ToModel(modelRow, aliases);
    }

    public async Task<IReadOnlyList<RegisteredModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = new List<RegisteredModel>();
        await foreach (var row in tables.QueryAsync(_names.Models, new TableQuery { Filter = $"RowKey eq '{RowKeys.ModelRow}'" }, cancellationToken).ConfigureAwait(false))
        {
            models.Add((await GetModelAsync(row.PartitionKey, cancellationToken).ConfigureAwait(false))!);
        }

        return models;
    }

    /// <exception cref="RegistryNotFoundException">No such model or version.</exception>
    public async Task<ModelVersion> GetVersionAsync(string model, int version, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        var row = await tables.GetAsync(_names.Models, model, RowKeys.Version(version), cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryNotFoundException($"Model '{model}' has no version {version}.");
        var manifest = await blobs.DownloadTextAsync(_names.ArtifactsContainer, row.GetString("Manifest")!, cancellationToken).ConfigureAwait(false);
        var aliases = await GetModelAsync(model, cancellationToken).ConfigureAwait(false);
        return RegistryJson.Deserialize<ModelVersion>(manifest) with
        {
            Aliases = aliases?.Aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList() ?? [],
            Tags = row.GetString("Tags") is { } tags ? RegistryJson.Deserialize<Dictionary<string, string>>(tags) : new Dictionary<string, string>(),
            Description = row.GetString("Description"),
            AnnotatedBy = row.GetString("AnnotatedBy"),
            AnnotatedAt = row.GetDateTimeOffset("AnnotatedAt"),
        };
    }

    /// <summary>Sets a version's tags and description (on its row; the manifest and files never change), recording who and when.</summary>
    /// <exception cref="RegistryNotFoundException">No such model or version.</exception>
    /// <exception cref="AnnotationException">A tag or the description cannot be kept.</exception>
    public async Task<ModelVersion> AnnotateVersionAsync(string model, int version, Annotation annotation, string actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        ArgumentNullException.ThrowIfNull(annotation);
        annotation.Validate();
        for (var attempt = 0; ; attempt++)
        {
            var row = await tables.GetAsync(_names.Models, model, RowKeys.Version(version), cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryNotFoundException($"Model '{model}' has no version {version}.");
            var current = row.GetString("Tags") is { } json ? RegistryJson.Deserialize<Dictionary<string, string>>(json) : new Dictionary<string, string>();
            var changed = row.With(
                ("Tags", JsonSerializer.Serialize(annotation.Apply(current), RegistryJson.Options)),
                ("Description", annotation.Description ?? row.GetString("Description")),
                ("AnnotatedBy", actor),
                ("AnnotatedAt", now));
            try
            {
                await tables.UpdateAsync(_names.Models, changed, merge: false, cancellationToken).ConfigureAwait(false);
                return await GetVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException) when (attempt < 5)
            {
                // The row changed meanwhile: annotate what is there now.
            }
        }
    }

    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string model, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        var versions = new List<ModelVersion>();
        await foreach (var row in tables.QueryAsync(_names.Models, TableQuery.RowKeyPrefix(model, RowKeys.VersionPrefix), cancellationToken).ConfigureAwait(false))
        {
            versions.Add(await GetVersionAsync(model, RowKeys.ParseVersion(row.RowKey), cancellationToken).ConfigureAwait(false));
        }

        return versions;
    }

    /// <summary>The version an alias points at, or <c>null</c> when the alias is not set.</summary>
    public async Task<int?> GetAliasAsync(string model, string alias, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        var row = await tables.GetAsync(_names.Models, model, RowKeys.Alias(alias), cancellationToken).ConfigureAwait(false);
        return row?.GetInt32("Version");
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> (promotion) and records it in the audit log, atomically.</summary>
    /// <exception cref="RegistryNotFoundException">No such model or version.</exception>
    public Task<ModelAliasChange> SetAliasAsync(string model, string alias, int version, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        SetAliasAsync(model, alias, version, actor, reason, now, correlationId: null, cancellationToken);

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> (promotion) and records it, atomically, in the audit
    /// log and in the <see cref="ModelAliasOutbox"/> (one <c>alias.changed</c> event carrying <paramref name="correlationId"/>).
    /// </summary>
    /// <exception cref="RegistryNotFoundException">No such model or version.</exception>
    public async Task<ModelAliasChange> SetAliasAsync(string model, string alias, int version, string actor, string reason, DateTimeOffset now, string? correlationId, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        RequireAlias(alias);
        _ = await tables.GetAsync(_names.Models, model, RowKeys.Version(version), cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryNotFoundException($"Model '{model}' has no version {version}.");

        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            var current = await tables.GetAsync(_names.Models, model, RowKeys.Alias(alias), cancellationToken).ConfigureAwait(false);
            var change = new ModelAliasChange(model, alias, current?.GetInt32("Version"), version, actor, reason, now) { EventId = NewEventId(), CorrelationId = correlationId };
            var aliasRow = new TableEntity(model, RowKeys.Alias(alias), new Dictionary<string, object?> { ["Version"] = version, ["UpdatedAt"] = now, ["UpdatedBy"] = actor })
            {
                ETag = current?.ETag,
            };
            var operations = new List<TableOperation>
            {
                current is null ? TableOperation.Add(aliasRow) : TableOperation.Update(aliasRow),
                TableOperation.Add(AuditRow(change)),
                TableOperation.Add(ModelAliasOutbox.Row(change)),
            };
            try
            {
                await tables.SubmitTransactionAsync(_names.Models, operations, cancellationToken).ConfigureAwait(false);
                return change;
            }
            catch (StorageConflictException)
            {
                // The alias moved meanwhile: decide again on fresh state.
            }
        }

        throw new StorageConflictException($"Alias '{alias}' of model '{model}' kept changing; try again.");
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> only if it still points at <paramref name="expected"/>
    /// (<c>null</c>: only if it is not set), a compare-and-set on the alias row's ETag, audited and announced like
    /// <see cref="SetAliasAsync(string, string, int, string, string, DateTimeOffset, string?, CancellationToken)"/>.
    /// An alias already on <paramref name="version"/> is left alone (a retried promotion); one that moved elsewhere is not
    /// overwritten, and the answer says where it is.
    /// </summary>
    /// <exception cref="RegistryNotFoundException">No such model or version.</exception>
    public async Task<ConditionalAliasChange> SetAliasIfAsync(
        string model, string alias, int version, int? expected, string actor, string reason, DateTimeOffset now, string? correlationId, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        RequireAlias(alias);
        _ = await tables.GetAsync(_names.Models, model, RowKeys.Version(version), cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryNotFoundException($"Model '{model}' has no version {version}.");

        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            var current = await tables.GetAsync(_names.Models, model, RowKeys.Alias(alias), cancellationToken).ConfigureAwait(false);
            var currentVersion = current?.GetInt32("Version");
            if (currentVersion == version)
            {
                return new ConditionalAliasChange(true, version, null);
            }

            if (currentVersion != expected)
            {
                return new ConditionalAliasChange(false, currentVersion, null);
            }

            var change = new ModelAliasChange(model, alias, currentVersion, version, actor, reason, now) { EventId = NewEventId(), CorrelationId = correlationId };
            var aliasRow = new TableEntity(model, RowKeys.Alias(alias), new Dictionary<string, object?> { ["Version"] = version, ["UpdatedAt"] = now, ["UpdatedBy"] = actor })
            {
                ETag = current?.ETag,
            };
            try
            {
                await tables.SubmitTransactionAsync(
                    _names.Models,
                    [current is null ? TableOperation.Add(aliasRow) : TableOperation.Update(aliasRow), TableOperation.Add(AuditRow(change)), TableOperation.Add(ModelAliasOutbox.Row(change))],
                    cancellationToken).ConfigureAwait(false);
                return new ConditionalAliasChange(true, version, change);
            }
            catch (StorageConflictException)
            {
                // The alias row changed (or appeared) since it was read: decide again on fresh state.
            }
        }

        throw new StorageConflictException($"Alias '{alias}' of model '{model}' kept changing; try again.");
    }

    /// <summary>
    /// Rolls an alias back: it returns to the version it pointed at before its current one (per the audit
    /// log), or is removed when it had none. Atomic, and audited like a promotion.
    /// </summary>
    /// <exception cref="RegistryNotFoundException">The alias is not set.</exception>
    public Task<ModelAliasChange> RollBackAliasAsync(string model, string alias, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RollBackAliasAsync(model, alias, actor, reason, now, correlationId: null, cancellationToken);

    /// <summary>
    /// Rolls an alias back like <see cref="RollBackAliasAsync(string, string, string, string, DateTimeOffset, CancellationToken)"/>,
    /// and records the <c>alias.changed</c> event (with <paramref name="correlationId"/>) in the <see cref="ModelAliasOutbox"/> in the same transaction.
    /// </summary>
    /// <exception cref="RegistryNotFoundException">The alias is not set.</exception>
    public async Task<ModelAliasChange> RollBackAliasAsync(string model, string alias, string actor, string reason, DateTimeOffset now, string? correlationId, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        RequireAlias(alias);
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            var current = await tables.GetAsync(_names.Models, model, RowKeys.Alias(alias), cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryNotFoundException($"Model '{model}' has no alias '{alias}'.");
            var currentVersion = current.GetInt32("Version");
            var history = await GetAuditLogAsync(model, alias, cancellationToken: cancellationToken).ConfigureAwait(false);

            // The newest promotion onto the current version says where the alias came from; roll-back entries
            // are skipped so that rolling back twice walks two promotions back rather than undoing itself.
            var previous = history.FirstOrDefault(h => !h.IsRollback && h.ToVersion == currentVersion)?.FromVersion;
            var change = new ModelAliasChange(model, alias, currentVersion, previous, actor, reason, now) { IsRollback = true, EventId = NewEventId(), CorrelationId = correlationId };
            var aliasOperation = previous is int back
                ? TableOperation.Update(current.With(("Version", back), ("UpdatedAt", now), ("UpdatedBy", actor)))
                : TableOperation.Delete(current);
            try
            {
                await tables.SubmitTransactionAsync(_names.Models, [aliasOperation, TableOperation.Add(AuditRow(change)), TableOperation.Add(ModelAliasOutbox.Row(change))], cancellationToken).ConfigureAwait(false);
                return change;
            }
            catch (StorageConflictException)
            {
            }
        }

        throw new StorageConflictException($"Alias '{alias}' of model '{model}' kept changing; try again.");
    }

    /// <summary>Name under which traffic policy changes appear in the audit log.</summary>
    public const string TrafficAuditName = "traffic";

    /// <summary>The model's serving traffic policy (canary/shadow) as stored JSON, or <c>null</c> when none is set.</summary>
    public async Task<string?> GetTrafficPolicyAsync(string model, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        var row = await tables.GetAsync(_names.Models, model, RowKeys.TrafficRow, cancellationToken).ConfigureAwait(false);
        return row?.GetString("Policy");
    }

    /// <summary>
    /// Sets (<paramref name="policyJson"/>) or clears (<c>null</c>) the model's serving traffic policy, and records it in
    /// the audit log under <see cref="TrafficAuditName"/> (from/to = the version routed to, detail = the policy), atomically.
    /// </summary>
    /// <exception cref="RegistryNotFoundException">No such model or <paramref name="targetVersion"/>; or clearing when nothing is set.</exception>
    public async Task<ModelAliasChange> SetTrafficPolicyAsync(
        string model, string? policyJson, int? targetVersion, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        if (targetVersion is int target)
        {
            _ = await tables.GetAsync(_names.Models, model, RowKeys.Version(target), cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryNotFoundException($"Model '{model}' has no version {target}.");
        }

        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            var current = await tables.GetAsync(_names.Models, model, RowKeys.TrafficRow, cancellationToken).ConfigureAwait(false);
            if (current is null && policyJson is null)
            {
                throw new RegistryNotFoundException($"Model '{model}' has no traffic policy.");
            }

            var change = new ModelAliasChange(model, TrafficAuditName, current?.GetInt32("TargetVersion"), targetVersion, actor, reason, now) { Detail = policyJson ?? "cleared" };
            var row = new TableEntity(model, RowKeys.TrafficRow, new Dictionary<string, object?>
            {
                ["Policy"] = policyJson,
                ["TargetVersion"] = targetVersion,
                ["UpdatedAt"] = now,
                ["UpdatedBy"] = actor,
            })
            {
                ETag = current?.ETag,
            };
            var policyOperation = policyJson is null ? TableOperation.Delete(current!) : current is null ? TableOperation.Add(row) : TableOperation.Update(row);
            try
            {
                await tables.SubmitTransactionAsync(_names.Models, [policyOperation, TableOperation.Add(AuditRow(change))], cancellationToken).ConfigureAwait(false);
                return change;
            }
            catch (StorageConflictException)
            {
                // The policy changed meanwhile: decide again on fresh state.
            }
        }

        throw new StorageConflictException($"The traffic policy of model '{model}' kept changing; try again.");
    }

    /// <summary>The alias audit log, newest first (optionally for one alias).</summary>
    public async Task<IReadOnlyList<ModelAliasChange>> GetAuditLogAsync(string model, string? alias = null, int take = 200, CancellationToken cancellationToken = default)
    {
        var changes = new List<ModelAliasChange>();
        await foreach (var row in tables.QueryAsync(_names.Models, TableQuery.RowKeyPrefix(model, RowKeys.AuditPrefix), cancellationToken).ConfigureAwait(false))
        {
            var change = AliasChangeRows.Read(row);
            if (alias is null || change.Alias == alias)
            {
                changes.Add(change);
                if (changes.Count == take)
                {
                    break;
                }
            }
        }

        return changes;
    }

    /// <summary>Reads a version's ONNX bytes.</summary>
    public Task<byte[]> LoadOnnxAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return blobs.DownloadBytesAsync(_names.ArtifactsContainer, version.OnnxPath, cancellationToken);
    }

    /// <summary>Opens a version's ONNX file for streaming.</summary>
    public Task<Stream> OpenOnnxAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return blobs.OpenReadAsync(_names.ArtifactsContainer, version.OnnxPath, cancellationToken);
    }

    /// <summary>A version's model card (markdown), or <c>null</c> when it has none or the file is missing.</summary>
    public async Task<string?> ReadModelCardAsync(ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.ModelCardPath is { } path
            ? await blobs.TryDownloadTextAsync(_names.ArtifactsContainer, path, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The version registered for <paramref name="registrationId"/> (a run or upload id), or <c>null</c> when there is none.</summary>
    public async Task<int?> FindRegisteredVersionAsync(string model, string registrationId, CancellationToken cancellationToken = default)
    {
        RequireName(model);
        var row = await tables.GetAsync(_names.Models, model, RowKeys.RunPrefix + registrationId, cancellationToken).ConfigureAwait(false);
        return row?.GetInt32("Version");
    }

    /// <summary>The version already registered for <paramref name="registrationId"/> and the attempt that registered it, or <c>null</c>.</summary>
    private async Task<(ModelVersion Version, string? Attempt)?> FindRegisteredAsync(string model, string registrationId, CancellationToken cancellationToken)
    {
        var row = await tables.GetAsync(_names.Models, model, RowKeys.RunPrefix + registrationId, cancellationToken).ConfigureAwait(false);
        return row?.GetInt32("Version") is int version
            ? (await GetVersionAsync(model, version, cancellationToken).ConfigureAwait(false), row.GetString("Attempt"))
            : null;
    }

    /// <summary>A version found registered: this execution's own (a retry of the same attempt), or an earlier execution's.</summary>
    private static ModelRegistrationOutcome Outcome((ModelVersion Version, string? Attempt) registered, ModelRegistration registration) =>
        new(registered.Version, AlreadyRegistered: registration.AttemptId is null || !string.Equals(registered.Attempt, registration.AttemptId, StringComparison.Ordinal));

    /// <exception cref="StorageConflictException">The blob already exists: it is never replaced.</exception>
    private async Task WriteOnceAsync(string path, ReadOnlyMemory<byte> content, string contentType, List<string> written, CancellationToken cancellationToken)
    {
        await blobs.UploadBytesAsync(_names.ArtifactsContainer, path, content, new BlobWriteOptions { CreateOnly = true, ContentType = contentType }, cancellationToken).ConfigureAwait(false);
        written.Add(path);
    }

    /// <summary>Removes an abandoned attempt's files; no version row names them.</summary>
    private async Task DeleteUnreferencedAsync(List<string> written, CancellationToken cancellationToken)
    {
        foreach (var path in written)
        {
            await blobs.DeleteIfExistsAsync(_names.ArtifactsContainer, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static TableEntity AuditRow(ModelAliasChange change) => AliasChangeRows.Write(change, RowKeys.Audit(change.At));

    private static string NewEventId() => Guid.NewGuid().ToString("N");

    private static RegisteredModel ToModel(TableEntity row, IReadOnlyDictionary<string, int> aliases) =>
        new(row.PartitionKey, row.GetString("Project"), row.GetInt32("LatestVersion") ?? 0, row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue, aliases);

    private static void RequireName(string model)
    {
        if (StorageNames.DescribeInvalidResourceName("Model", model) is { } problem)
        {
            throw new ArgumentException(problem, nameof(model));
        }
    }

    private static void RequireAlias(string alias)
    {
        if (StorageNames.DescribeInvalidResourceName("Alias", alias) is { } problem)
        {
            throw new ArgumentException(problem, nameof(alias));
        }
    }
}
