namespace Serverless.Registry;

/// <summary>What <see cref="ModelRegistry.SetAliasIfAsync"/> did.</summary>
/// <param name="Moved">True when the alias now points at the requested version (moved now, or already there).</param>
/// <param name="Current">The version the alias points at after the call (<c>null</c>: not set).</param>
/// <param name="Change">The audited change, when the alias moved now.</param>
public sealed record ConditionalAliasChange(bool Moved, int? Current, ModelAliasChange? Change);
