namespace Serverless.Hosting;

/// <summary>The names of <see cref="KeyPermissions"/> in the API and in storage: <c>predict</c>, <c>feedback</c>, <c>read</c>.</summary>
public static class KeyPermissionNames
{
    private static readonly (KeyPermissions Permission, string Name)[] Known =
    [
        (KeyPermissions.Predict, "predict"),
        (KeyPermissions.Feedback, "feedback"),
        (KeyPermissions.Read, "read"),
    ];

    /// <summary>Every permission name, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Known.Select(k => k.Name)];

    /// <summary>The name of one permission (<c>predict</c>, <c>feedback</c> or <c>read</c>).</summary>
    public static string NameOf(KeyPermissions permission) =>
        Known.FirstOrDefault(k => k.Permission == permission).Name
        ?? throw new ArgumentOutOfRangeException(nameof(permission), permission, "Not a single permission.");

    /// <summary>The names of the permissions in <paramref name="permissions"/>, in a stable order.</summary>
    public static IReadOnlyList<string> Format(KeyPermissions permissions) =>
        [.. Known.Where(k => (permissions & k.Permission) == k.Permission).Select(k => k.Name)];

    /// <summary>Parses permission names (case-insensitive); <paramref name="error"/> names the first unknown one.</summary>
    public static bool TryParse(IEnumerable<string?> names, out KeyPermissions permissions, out string? error)
    {
        ArgumentNullException.ThrowIfNull(names);
        permissions = KeyPermissions.None;
        foreach (var name in names)
        {
            var match = Known.FirstOrDefault(k => string.Equals(k.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                error = $"'{name}' is not a permission; use any of {string.Join(", ", All.Select(n => $"'{n}'"))}.";
                return false;
            }

            permissions |= match.Permission;
        }

        error = null;
        return true;
    }
}
