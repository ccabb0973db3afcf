namespace Serverless.Hosting;

/// <summary>
/// The permission a function-level route needs, declared beside its <see cref="HttpTriggerAttribute"/> (or added to
/// a minimal-API endpoint with <c>RequireFunctionKey(level, permission)</c>); the host copies it into the endpoint's
/// metadata and the key check enforces it. A key limited to permissions cannot call a function-level route that
/// declares none (fail closed); keys without a permission list and admin keys are not limited by it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiresPermissionAttribute(KeyPermissions permission) : Attribute
{
    public KeyPermissions Permission { get; } = permission;
}
