using System.Text.Json;
using Serverless.Hosting;
using Serverless.Hosting.Http;
using Serverless.Hosting.Keys;
using Serverless.Storage;

namespace Serverless.Functions.BuiltIn;

/// <summary>
/// Key administration (admin level): create (the secret is shown once), list (no secrets), revoke. Creating or
/// revoking a key refreshes this host's key index, so the change applies here at once.
/// </summary>
public sealed class KeysFunctions(FunctionKeyStore keys, FunctionKeyIndex index)
{
    [Function("CreateKey")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> CreateAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/keys")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        CreateKeyRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<CreateKeyRequest>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return HttpContextFunctionExtensions.Error(400, $"The body must be JSON {{\"name\": ..., \"level\": \"function\"|\"admin\", \"projects\": [...], \"permissions\": [...]}}: {e.Message}");
        }

        if (body is null)
        {
            return HttpContextFunctionExtensions.Error(400, "The body is empty; send {\"name\": ..., \"level\": ..., \"projects\": [...]}.");
        }

        if (StorageNames.DescribeInvalidResourceName("Key", body.Name) is { } invalidName)
        {
            return HttpContextFunctionExtensions.Error(400, $"Field 'name': {invalidName}");
        }

        if (body.Name == FunctionKeyStore.MasterKeyName)
        {
            return HttpContextFunctionExtensions.Error(400, $"Field 'name': '{FunctionKeyStore.MasterKeyName}' is reserved.");
        }

        AuthorizationLevel level;
        switch (body.Level?.ToLowerInvariant())
        {
            case null or "function":
                level = AuthorizationLevel.Function;
                break;
            case "admin":
                level = AuthorizationLevel.Admin;
                break;
            default:
                return HttpContextFunctionExtensions.Error(400, $"Field 'level': '{body.Level}' is not 'function' or 'admin'.");
        }

        var projects = body.Projects ?? [];
        if (projects.Select(p => StorageNames.DescribeInvalidResourceName("Project", p)).FirstOrDefault(e => e is not null) is { } invalidProject)
        {
            return HttpContextFunctionExtensions.Error(400, $"Field 'projects': {invalidProject}");
        }

        if (level == AuthorizationLevel.Admin && projects.Count > 0)
        {
            return HttpContextFunctionExtensions.Error(400, "Field 'projects': only function keys can be limited to projects; admin keys reach everything.");
        }

        KeyPermissions? permissions = null;
        if (body.Permissions is { } names)
        {
            if (level == AuthorizationLevel.Admin)
            {
                return HttpContextFunctionExtensions.Error(400, "Field 'permissions': only function keys can be limited to permissions; admin keys reach everything.");
            }

            if (!KeyPermissionNames.TryParse(names, out var parsed, out var invalidPermission))
            {
                return HttpContextFunctionExtensions.Error(400, $"Field 'permissions': {invalidPermission}");
            }

            if (parsed == KeyPermissions.None)
            {
                return HttpContextFunctionExtensions.Error(400, $"Field 'permissions': name at least one of {string.Join(", ", KeyPermissionNames.All)}, or leave the field out for every right.");
            }

            permissions = parsed;
        }

        try
        {
            var created = await keys.CreateAsync(body.Name!, level, projects.Distinct(StringComparer.Ordinal).ToList(), permissions, cancellationToken);
            index.Invalidate();
            var key = created.Key;
            return Results.Created($"/{request.Path.Value!.Trim('/')}/{key.Name}", new CreatedKeyResponse(key.Name, LevelName(key.Level), key.Projects, key.CreatedAt, PermissionNames(key), created.Value));
        }
        catch (StorageConflictException)
        {
            return HttpContextFunctionExtensions.Error(409, $"A key named '{body.Name}' exists; revoke it first or pick another name.");
        }
    }

    [Function("ListKeys")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/keys")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var listed = new List<KeyDescription>();
        await foreach (var key in keys.ListAsync(cancellationToken))
        {
            listed.Add(new KeyDescription(key.Name, LevelName(key.Level), key.Projects, key.CreatedAt, PermissionNames(key)));
        }

        return Results.Ok(listed.OrderBy(k => k.Name, StringComparer.Ordinal));
    }

    [Function("RevokeKey")]
    [RequiresKey(AuthorizationLevel.Admin)]
    public async Task<IResult> RevokeAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/keys/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken)
    {
        if (name == FunctionKeyStore.MasterKeyName)
        {
            return HttpContextFunctionExtensions.Error(400, "The master key cannot be revoked here; set MasterKey to replace it.");
        }

        var hash = await keys.RevokeAsync(name, cancellationToken);
        if (hash is null)
        {
            return HttpContextFunctionExtensions.Error(404, $"No key is named '{name}'.");
        }

        index.Invalidate();
        return Results.NoContent();
    }

    private static string LevelName(AuthorizationLevel level) => level.ToString().ToLowerInvariant();

    private static IReadOnlyList<string>? PermissionNames(FunctionKey key) =>
        key.Permissions is { } permissions ? KeyPermissionNames.Format(permissions) : null;
}
