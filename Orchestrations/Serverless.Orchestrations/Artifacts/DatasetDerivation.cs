using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Serverless.Registry;

namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// Names what a dataset version's frame, profile and validation report were derived from besides its bytes: the project
/// spec (label, features, ignored columns, validation rules) and the baseline schema that breaking-change checks compare
/// against. Derived artifacts live under this key, so a changed spec writes new ones beside those earlier runs used.
/// </summary>
public static class DatasetDerivation
{
    /// <summary>Hex characters of the SHA-256 kept in paths: enough to never collide between a project's specs.</summary>
    private const int KeyLength = 16;

    /// <summary>The key of deriving a dataset version under <paramref name="spec"/> with <paramref name="baseline"/> as the previous schema.</summary>
    public static string KeyOf(ProjectSpec spec, DatasetSchema? baseline)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var inputs = ProjectSpecSerializer.Serialize(spec) + "\n" + (baseline is null ? "null" : JsonSerializer.Serialize(baseline, RegistryJson.Options));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inputs)))[..KeyLength];
    }
}
