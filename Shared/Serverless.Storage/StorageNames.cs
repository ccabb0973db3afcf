using System.Text.RegularExpressions;

namespace Serverless.Storage;

/// <summary>Validation of user-facing names (projects, models) as the contract fixes them.</summary>
public static partial class StorageNames
{
    [GeneratedRegex("^[a-z0-9-]{1,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();

    /// <summary>Whether <paramref name="name"/> is 1-63 characters of <c>a-z0-9-</c>.</summary>
    public static bool IsValidResourceName(string? name) => name is not null && ResourceNamePattern().IsMatch(name);

    /// <summary>Explains why a project or model name is not acceptable, or returns <c>null</c> when it is.</summary>
    public static string? DescribeInvalidResourceName(string kind, string? name) =>
        IsValidResourceName(name)
            ? null
            : $"{kind} name '{name}' is invalid: use 1-63 characters of lowercase letters a-z, digits 0-9 and '-'.";
}
