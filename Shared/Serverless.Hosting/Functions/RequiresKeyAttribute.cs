using Microsoft.Azure.Functions.Worker;

namespace Serverless.Hosting;

/// <summary>
/// The product key an HTTP function needs: its level and, for function-level routes, the permission a key limited
/// to permissions must hold. HTTP triggers are declared <see cref="AuthorizationLevel.Anonymous"/> to the Functions
/// host (its own keys would refuse the product's), so this attribute is the one place a route's access is stated;
/// <see cref="Keys.FunctionKeyAuthorizer"/> enforces it on both hosts. A key limited to permissions cannot call a
/// function-level route that declares none (fail closed); keys without a permission list and admin keys are not
/// limited by it. A function without this attribute is anonymous.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiresKeyAttribute : Attribute
{
    public RequiresKeyAttribute(AuthorizationLevel level)
    {
        Level = level;
    }

    public RequiresKeyAttribute(AuthorizationLevel level, KeyPermissions permission)
    {
        Level = level;
        Permission = permission;
    }

    public AuthorizationLevel Level { get; }

    /// <summary>The permission a limited key must hold; <c>null</c> when the route names none.</summary>
    public KeyPermissions? Permission { get; }
}
